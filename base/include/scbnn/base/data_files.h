#pragma once
#include <string>
#include <vector>

namespace scbnn {

// The data shipped with scbnn: networks (stimuli/networks/) and technology presets
// (power/presets/), installed in <prefix>/share/scbnn/{networks,presets}.
enum class ShippedData { networks, presets };

// The directories searched for shipped data of `kind`, in order:
//   $SCBNN_DATA_DIR/<kind> when the environment variable is set (and then only it);
//   otherwise <directory of the running executable>/<bin-to-data>/scbnn/<kind>, where
//   <bin-to-data> is the installed bin/ -> share/ relation (normally "../share"). The
//   build tree mirrors that layout with links to the source tree's data (CMakeLists.txt),
//   so no configure-time prefix is baked into the executable and an installed tree can be
//   moved anywhere.
std::vector<std::string> shipped_data_directories(ShippedData kind);

// `name_or_path` as given for configuration key `key`: an existing file, or a path with a
// directory part, is returned as it is; a bare name is looked up in
// shipped_data_directories(kind), also with `extension` appended when it lacks it.
// Throws InputError naming the key, the name and every directory searched.
std::string resolve_shipped_file(const std::string& name_or_path, ShippedData kind, const std::string& key,
                                 const std::string& extension = "");

// Names (without `extension`) of the files ending in `extension` in `directory`, sorted;
// none when the directory does not exist. The shipped presets are discovered this way,
// so adding one is adding its file.
std::vector<std::string> file_stems_in(const std::string& directory, const std::string& extension);

// The shipped data of `kind` found in the first existing directory of
// shipped_data_directories(kind), by name (file_stems_in).
std::vector<std::string> shipped_data_names(ShippedData kind, const std::string& extension);

}  // namespace scbnn
