#pragma once
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace scbnn {

// Parameters declared by their owner (as SystemC CCI's cci_param): every parameter struct
// has one member function
//
//   template <class V> void declare(V& v) {
//     v("rows", rows, Range{1, 65536}, "rows", "rows (neurons) per weight array", "assumption: ...");
//     v.group("sng", sng);   // a sub-struct: its keys get the prefix "sng."
//   }
//
// naming each field once with its key (relative to where the owner is mounted; the
// member's name, or its path below the owner), accepted range or choices, unit, meaning
// and the source of its default. The default is the member initialiser. Visitors walk a
// tree of such structs: the schema collector (ParamSchema), the setter from configuration
// values (ParamSetter) and the printer (ParamPrinter).

enum class ParamKind { integer, real, boolean, text, choice };

// A declared configuration parameter: hierarchical key (like the module path), type,
// default, unit, accepted range or choices, meaning, and where the default comes from
// (a publication, or "assumption: ...").
// A key ending in ".*" declares a family (e.g. power.entry.*): any key below it is
// accepted with that type, has no default, and is validated by its consumer.
struct ParamSpec {
  std::string key;
  ParamKind kind = ParamKind::integer;
  std::string default_value;
  std::string unit;
  double min = 0, max = 0;  // inclusive range for integer / real
  std::vector<std::string> choices;
  std::string description;
  std::string source;
};

// Inclusive range of a numeric parameter.
struct Range {
  double min, max;
};

// Accepted values of a parameter whose member is a string or a number (e.g. "32", "64").
struct Choices {
  std::vector<std::string> names;
};

// One name of an enum value. An enum gets exactly one table, declared next to it as an
// overload found by argument-dependent lookup:
//   inline constexpr std::array<EnumName<Cell>, 2> kCellNames{{{Cell::a, "a"}, {Cell::b, "b"}}};
//   constexpr const auto& enum_names(Cell) { return kCellNames; }
// The configuration's choices, reports and docs all use it.
template <class E>
struct EnumName {
  E value;
  const char* name;
};

template <class E>
const char* enum_name(E e) {
  for (const auto& n : enum_names(E{}))
    if (n.value == e) return n.name;
  throw std::logic_error("enum value without a name");
}

template <class E>
bool enum_from_name(const std::string& name, E& out) {
  for (const auto& n : enum_names(E{}))
    if (name == n.name) return out = n.value, true;
  return false;
}

template <class E>
std::vector<std::string> enum_choices() {
  std::vector<std::string> names;
  for (const auto& n : enum_names(E{})) names.push_back(n.name);
  return names;
}

// A number as people write it: printf's %g ("500", "1.5", "0.05", "1e+06") when that reads
// back as the same double, else the shortest text that does.
inline std::string shortest_number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", v);
  if (std::strtod(buf, nullptr) == v) return buf;
  for (int precision = 7; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

namespace param_detail {

// The value of a member as configuration text, and its kind.
template <class T>
std::string to_text(const T& value) {
  if constexpr (std::is_same_v<T, bool>)
    return value ? "true" : "false";
  else if constexpr (std::is_enum_v<T>)
    return enum_name(value);
  else if constexpr (std::is_integral_v<T>)
    return std::to_string(int64_t(value));
  else if constexpr (std::is_floating_point_v<T>)
    return shortest_number_text(value);
  else
    return value;
}

template <class T>
ParamKind kind_of() {
  if constexpr (std::is_same_v<T, bool>)
    return ParamKind::boolean;
  else if constexpr (std::is_enum_v<T>)
    return ParamKind::choice;
  else if constexpr (std::is_integral_v<T>)
    return ParamKind::integer;
  else if constexpr (std::is_floating_point_v<T>)
    return ParamKind::real;
  else
    return ParamKind::text;
}

// Reads a value the configuration has already checked against the declaration.
template <class T>
void from_text(const std::string& text, T& member) {
  if constexpr (std::is_same_v<T, bool>)
    member = text == "true";
  else if constexpr (std::is_enum_v<T>) {
    if (!enum_from_name(text, member)) throw std::logic_error("'" + text + "' is not a name of the enum");
  } else if constexpr (std::is_integral_v<T>)
    member = T(std::stoll(text, nullptr, 0));
  else if constexpr (std::is_floating_point_v<T>)
    member = std::stod(text);
  else
    member = text;
}

}  // namespace param_detail

// Shared by the visitors (Derived is the visitor itself): the key prefix of the struct being
// walked, the walk into groups, and families ignored unless the visitor declares family().
template <class Derived>
class ParamVisitorBase {
 public:
  template <class S>
  void group(const char* name, S& sub) {
    const size_t saved = prefix_.size();
    if (*name) prefix_ += std::string(name) + ".";
    sub.declare(static_cast<Derived&>(*this));
    prefix_.resize(saved);
  }
  template <class... Doc>
  void family(const char*, const Doc&...) {}
  std::string key(const char* name) const { return prefix_ + name; }

 protected:
  std::string prefix_;
};

// Collects the declarations of a (default-constructed) tree into the schema.
class ParamSchema : public ParamVisitorBase<ParamSchema> {
 public:
  template <class S>
  static std::vector<ParamSpec> of(S root) {
    ParamSchema v;
    root.declare(v);
    return std::move(v.specs_);
  }

  template <class T>
  void operator()(const char* name, T& member, Range range, const char* unit, const char* what, const char* source) {
    add(name, member, range.min, range.max, {}, unit, what, source);
  }
  template <class T>
  void operator()(const char* name, T& member, const Choices& choices, const char* what, const char* source) {
    add(name, member, 0, 0, choices.names, "", what, source);
    specs_.back().kind = ParamKind::choice;
  }
  template <class T>
  void operator()(const char* name, T& member, const char* what, const char* source) {
    std::vector<std::string> choices;
    if constexpr (std::is_enum_v<T>) choices = enum_choices<T>();
    add(name, member, 0, 0, std::move(choices), "", what, source);
  }
  // A family of keys below `name` (name.*; "" for the keys below the owner itself), values
  // read by their consumer; with choices, every value must be one of them.
  void family(const char* name, const char* what, const char* source) {
    specs_.push_back({family_key(name), ParamKind::text, "", "", 0, 0, {}, what, source});
  }
  void family(const char* name, const Choices& choices, const char* what, const char* source) {
    specs_.push_back({family_key(name), ParamKind::choice, "", "", 0, 0, choices.names, what, source});
  }

 private:
  template <class T>
  void add(const char* name, const T& member, double min, double max, std::vector<std::string> choices,
           const char* unit, const char* what, const char* source) {
    specs_.push_back({key(name), param_detail::kind_of<T>(), param_detail::to_text(member), unit, min, max,
                      std::move(choices), what, source});
  }
  std::string family_key(const char* name) const { return *name ? key(name) + ".*" : prefix_ + "*"; }
  std::vector<ParamSpec> specs_;
};

// Fills a tree from configuration values: `value_of(key)` gives a key's checked text.
class ParamSetter : public ParamVisitorBase<ParamSetter> {
 public:
  using ValueOf = std::function<std::string(const std::string& key)>;
  explicit ParamSetter(ValueOf value_of) : value_of_(std::move(value_of)) {}

  template <class T, class... Doc>
  void operator()(const char* name, T& member, const Doc&...) {
    param_detail::from_text(value_of_(key(name)), member);
  }

 private:
  ValueOf value_of_;
};

// Every parameter of a tree as (key, value text), in declaration order.
class ParamPrinter : public ParamVisitorBase<ParamPrinter> {
 public:
  template <class S>
  static std::vector<std::pair<std::string, std::string>> of(S& root) {
    ParamPrinter v;
    root.declare(v);
    return std::move(v.values_);
  }

  template <class T, class... Doc>
  void operator()(const char* name, T& member, const Doc&...) {
    values_.emplace_back(key(name), param_detail::to_text(member));
  }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace scbnn
