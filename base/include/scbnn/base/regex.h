#pragma once
// <regex> for scbnn code: GCC 12 reports a false -Wmaybe-uninitialized inside it when built
// with the sanitizers (-O1 -fsanitize=address,undefined), which -Werror would turn into a
// build failure. Include this instead of <regex>.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>  // IWYU pragma: export
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
