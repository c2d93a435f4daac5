# cmake -DINPUT=file -DOUTPUT=file.cpp -DNAME=kName -P embed_text.cmake
# Writes OUTPUT, a C++ source defining `scbnn::NAME`, a char array holding INPUT's text (as
# a raw string literal), so that a program carries the file instead of looking for it.
file(READ "${INPUT}" text)
set(delimiter "scbnn_embed")
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains )${delimiter}\", the raw string delimiter of embed_text.cmake")
endif()
file(WRITE "${OUTPUT}.tmp"
     "// Generated from ${INPUT} by cmake/embed_text.cmake; do not edit.\n"
     "namespace scbnn {\nextern const char ${NAME}[];\nconst char ${NAME}[] = R\"${delimiter}(${text})${delimiter}\";\n}  // namespace scbnn\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
