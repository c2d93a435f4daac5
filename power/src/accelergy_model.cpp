#include "accelergy_model.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>

#include "scbnn/base/component_names.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/text.h"
#include "scbnn/power/accelergy.h"
#include "scbnn/power/catalogue.h"

namespace scbnn::accelergy_export {
namespace {

constexpr const char* kLeak = "leak";
constexpr const char* kRollUpClass = "area_roll_up";
constexpr const char* kRollUpNode = "area_roll_up";

// ---------------------------------------------------------------------------------------
// What one scbnn (component, class) pair holds and did, from the priced run.

struct ScbnnAction {
  std::string name;
  uint64_t count = 0;
  double energy_per_count_pj = 0;
};

struct Tally {
  std::string cls, basis;
  std::string scbnn;  // the component's name, or a list's pattern once merged
  double quantity = 0, area_um2 = 0, leakage_nw = 0;
  bool hardware = false;
  int price_set = 0;
  std::vector<ScbnnAction> actions;

  const ScbnnAction* find(const std::string& action) const {
    for (const auto& a : actions)
      if (a.name == action) return &a;
    return nullptr;
  }
};

void add_count(Tally& t, const std::string& action, uint64_t count, double energy_per_count_pj) {
  for (auto& a : t.actions)
    if (a.name == action) {
      // Two entries of one action (two ledger entries, or list members) priced alike keep
      // their price; priced differently, the energy per count is their weighted mean.
      if (a.energy_per_count_pj == energy_per_count_pj) {
        a.count += count;
        return;
      }
      const double total = a.energy_per_count_pj * double(a.count) + energy_per_count_pj * double(count);
      a.count += count;
      if (a.count > 0) a.energy_per_count_pj = total / double(a.count);
      return;
    }
  t.actions.push_back({action, count, energy_per_count_pj});
}

// The scbnn tree: one node per name segment, the tallies of the component it names.
struct Node {
  std::string name;
  uint64_t range = 1;  // instances the name lists (list notation after collapsing)
  std::vector<Tally> tallies;
  std::vector<Node> children;
};

Node& child_named(Node& n, const std::string& name) {
  for (auto& c : n.children)
    if (c.name == name) return c;
  n.children.push_back(Node{name, 1, {}, {}});
  return n.children.back();
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
    parts.push_back(path.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(path.substr(start));
  return parts;
}

// "name_<k>" -> ("name_", k) and "name<k>" -> ("name", k); false for anything else (no
// index, leading zeros, a list already). The key keeps the separator, so that name_1 and
// name1 are no members of one list.
bool indexed(const std::string& name, std::string& key, uint64_t& k) {
  if (name.find('[') != std::string::npos) return false;
  size_t first_digit = name.size();
  while (first_digit > 0 && std::isdigit(static_cast<unsigned char>(name[first_digit - 1]))) --first_digit;
  const std::string digits = name.substr(first_digit);
  if (digits.empty() || digits.size() > 9 || (digits.size() > 1 && digits[0] == '0')) return false;
  key = name.substr(0, first_digit);
  if (key.empty() || key == "_") return false;
  k = std::stoull(digits);
  return true;
}

// The list's name: key "array_" -> "array".
std::string list_base(const std::string& key) { return key.back() == '_' ? key.substr(0, key.size() - 1) : key; }

// BnnCore's XNOR/popcount tree pe_<k> takes the sense amplifiers' outputs of array_<k>
// (models/src/bnn_core.cpp pairs them by index): in the architecture it is the array's
// `popcount`, so that the array, its drivers, its PCSAs and its tree form one compound
// component (the PCSA-XNOR-popcount tile).
std::string tree_path(const std::string& component, const std::string& cls, const std::set<std::string>& names) {
  if (cls != component_class::kXnorPopcount) return component;
  const size_t dot = component.rfind('.');
  const std::string parent = dot == std::string::npos ? "" : component.substr(0, dot + 1);
  const std::string leaf = dot == std::string::npos ? component : component.substr(dot + 1);
  std::string key;
  uint64_t k = 0;
  if (!indexed(leaf, key, k) || key != "pe_") return component;
  const std::string array = parent + "array_" + std::to_string(k);
  return names.count(array) ? array + ".popcount" : component;
}

Node scbnn_tree(const PowerReport& r) {
  std::vector<std::pair<std::string, Tally>> tallies;  // (component, tally), first appearance first
  std::map<std::pair<std::string, std::string>, size_t> index;
  const auto at = [&](const std::string& component, const std::string& cls) -> Tally& {
    const auto [it, added] = index.emplace(std::make_pair(component, cls), tallies.size());
    if (added) {
      Tally t;
      t.cls = cls;
      t.scbnn = component;
      const ComponentClassSpec* spec = find_component_class(cls);
      t.basis = spec ? spec->basis : "instance";
      tallies.emplace_back(component, std::move(t));
    }
    return tallies[it->second].second;
  };
  for (const auto& h : r.hardware) {
    Tally& t = at(h.item.component, h.item.component_class);
    t.quantity += h.item.quantity;
    t.area_um2 += h.area_um2;
    t.leakage_nw += h.leakage_nw;
    t.basis = h.item.basis;
    t.hardware = true;
  }
  for (const auto& a : r.actions)
    add_count(at(a.component, a.component_class), a.action, a.count, a.energy_per_count_pj);
  std::set<std::string> names;
  for (const auto& [component, t] : tallies) names.insert(component);
  Node root;
  for (auto& [component, t] : tallies) {
    Node* n = &root;
    for (const auto& segment : split(tree_path(component, t.cls, names))) n = &child_named(*n, segment);
    n->tallies.push_back(std::move(t));
  }
  return root;
}

void sort_tallies(Node& n) {
  std::stable_sort(n.tallies.begin(), n.tallies.end(), [](const Tally& a, const Tally& b) { return a.cls < b.cls; });
  for (auto& c : n.children) sort_tallies(c);
}

// ---------------------------------------------------------------------------------------
// Identical siblings name_0 .. name_<N-1> become one node name[0..N-1].

bool same_hardware(const Tally& a, const Tally& b) {
  if (a.cls != b.cls || a.basis != b.basis || a.quantity != b.quantity || a.area_um2 != b.area_um2 ||
      a.leakage_nw != b.leakage_nw || a.hardware != b.hardware)
    return false;
  for (const auto& x : a.actions) {
    const ScbnnAction* y = b.find(x.name);
    if (y && y->energy_per_count_pj != x.energy_per_count_pj) return false;
  }
  return true;
}

const Node* find_child(const Node& n, const std::string& name) {
  for (const auto& c : n.children)
    if (c.name == name) return &c;
  return nullptr;
}

bool same_hardware(const Node& a, const Node& b) {
  if (a.range != b.range || a.tallies.size() != b.tallies.size() || a.children.size() != b.children.size())
    return false;
  for (size_t i = 0; i < a.tallies.size(); ++i)
    if (!same_hardware(a.tallies[i], b.tallies[i])) return false;
  for (const auto& c : a.children) {
    const Node* d = find_child(b, c.name);
    if (!d || !same_hardware(c, *d)) return false;
  }
  return true;
}

// name_{0..N-1} for names that differ only by their index k = 0 .. N-1, in order.
std::string list_pattern(const std::vector<std::string>& names) {
  const std::string& first = names.front();
  size_t prefix = first.size(), suffix = first.size();
  for (const auto& n : names) {
    prefix = std::min(
        prefix, size_t(std::mismatch(first.begin(), first.begin() + std::min(first.size(), n.size()), n.begin()).first -
                       first.begin()));
    size_t s = 0;
    while (s < first.size() && s < n.size() && first[first.size() - 1 - s] == n[n.size() - 1 - s]) ++s;
    suffix = std::min(suffix, s);
  }
  bool by_index = true;
  for (size_t k = 0; k < names.size() && by_index; ++k) {
    const std::string& n = names[k];
    by_index = prefix + suffix <= n.size() && n.substr(prefix, n.size() - prefix - suffix) == std::to_string(k);
  }
  if (by_index)
    return first.substr(0, prefix) + "{0.." + std::to_string(names.size() - 1) + "}" +
           first.substr(first.size() - suffix);
  std::string all;
  for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
  return all;
}

// One node for identical members: counts summed, names as a list pattern.
Node merged(const std::vector<const Node*>& members) {
  Node m = *members.front();
  for (size_t i = 0; i < m.tallies.size(); ++i) {
    Tally& t = m.tallies[i];
    std::vector<std::string> names;
    for (size_t k = 0; k < members.size(); ++k) {
      const Tally& other = members[k]->tallies[i];
      names.push_back(other.scbnn);
      if (k == 0) continue;
      for (const auto& a : other.actions) add_count(t, a.name, a.count, a.energy_per_count_pj);
    }
    t.scbnn = list_pattern(names);
  }
  for (auto& c : m.children) {
    std::vector<const Node*> same;
    for (const Node* member : members) same.push_back(find_child(*member, c.name));
    c = merged(same);
  }
  return m;
}

void collapse_lists(Node& n) {
  for (auto& c : n.children) collapse_lists(c);
  std::vector<std::string> bases;                                          // list keys, in order of first appearance
  std::map<std::string, std::vector<std::pair<uint64_t, size_t>>> groups;  // key -> (k, child)
  for (size_t i = 0; i < n.children.size(); ++i) {
    std::string key;
    uint64_t k = 0;
    if (!indexed(n.children[i].name, key, k)) continue;
    if (!groups.count(key)) bases.push_back(key);
    groups[key].emplace_back(k, i);
  }
  std::map<size_t, Node> replacement;  // first member's position -> list node
  std::set<size_t> absorbed;
  std::set<std::string> list_bases;
  for (const auto& key : bases) {
    auto members = groups[key];
    const std::string base = list_base(key);
    if (members.size() < 2) continue;
    std::sort(members.begin(), members.end());
    bool collapsible = true;
    for (size_t k = 0; k < members.size() && collapsible; ++k)
      collapsible =
          members[k].first == k && same_hardware(n.children[members[0].second], n.children[members[k].second]);
    for (const auto& c : n.children)  // the list's base name must name nothing else (Accelergy finds entries by it)
      if (c.name == base || c.name.rfind(base + "[", 0) == 0) collapsible = false;
    if (!collapsible || !list_bases.insert(base).second) continue;
    std::vector<const Node*> nodes;
    size_t first = n.children.size();
    for (const auto& [k, i] : members) {
      nodes.push_back(&n.children[i]);
      first = std::min(first, i);
      absorbed.insert(i);
    }
    Node list = merged(nodes);
    list.name = base + "[0.." + std::to_string(members.size() - 1) + "]";
    list.range = members.size();
    replacement.emplace(first, std::move(list));
  }
  if (replacement.empty()) return;
  std::vector<Node> children;
  for (size_t i = 0; i < n.children.size(); ++i) {
    if (replacement.count(i)) children.push_back(std::move(replacement.at(i)));
    if (!absorbed.count(i)) children.push_back(std::move(n.children[i]));
  }
  n.children = std::move(children);
}

// ---------------------------------------------------------------------------------------
// Action names of a class (accelergy_action_names(), the conflict rule applied).

struct ClassNames {
  std::vector<std::pair<std::string, std::string>> actions;  // (scbnn, Accelergy), carriers included
  std::vector<std::pair<std::string, std::string>> carried;  // (scbnn, its carrier)
  std::string text;                                          // the scbnn_actions attribute
};

ClassNames class_names(const std::string& cls) {
  ClassNames names;
  const ComponentClassSpec* spec = find_component_class(cls);
  if (!spec) return names;  // the area roll-up: leak only
  for (const auto& a : spec->actions) {
    const AccelergyActionName* row = find_accelergy_action_name(a.name);
    if (!row && a.pricing == Pricing::per_charge)
      throw std::logic_error("per-charge action " + a.name + " of class " + cls +
                             " is missing from the Accelergy name table (power/src/accelergy_names.cpp)");
    if (!row) {  // a registered variant's own action, not in the table: it keeps its name
      names.actions.emplace_back(a.name, a.name);
      continue;
    }
    if (row->carried_by) {
      if (!spec->action(row->carried_by))
        throw std::logic_error("action " + a.name + " of class " + cls + " is carried by " + row->carried_by +
                               ", which the class does not have");
      names.carried.emplace_back(a.name, row->carried_by);
    } else {
      if (a.pricing == Pricing::per_charge)
        throw std::logic_error("per-charge action " + a.name + " of class " + cls +
                               " must be carried by an event in the Accelergy name table");
      names.actions.emplace_back(a.name, row->accelergy);
    }
  }
  std::map<std::string, int> uses;
  for (const auto& [scbnn, accelergy] : names.actions) ++uses[accelergy];
  for (auto& [scbnn, accelergy] : names.actions)
    if (uses[accelergy] > 1) accelergy = scbnn;  // two would share a conventional name: both keep theirs
  std::set<std::string> taken;
  for (const auto& [scbnn, accelergy] : names.actions) {
    if (!taken.insert(accelergy).second || accelergy == kLeak)
      throw std::logic_error("class " + cls + " has two actions named " + accelergy + " in the Accelergy export");
    names.text += (names.text.empty() ? "" : ", ") + accelergy + "=" + scbnn;
    for (const auto& [carried, carrier] : names.carried)
      if (carrier == scbnn) names.text += "+" + carried;
  }
  return names;
}

// ---------------------------------------------------------------------------------------
// Unit prices (per basis unit) and their sets within a class.

struct UnitPrices {
  double area_um2 = 0, leak_pj = 0;  // per unit; leak per cycle
  std::map<std::string, double> energy_per_count_pj;
};

bool agree(UnitPrices& set, const UnitPrices& p) {
  if (set.area_um2 != p.area_um2 || set.leak_pj != p.leak_pj) return false;
  for (const auto& [action, e] : p.energy_per_count_pj) {
    const auto it = set.energy_per_count_pj.find(action);
    if (it != set.energy_per_count_pj.end() && it->second != e) return false;
  }
  for (const auto& [action, e] : p.energy_per_count_pj) set.energy_per_count_pj.emplace(action, e);
  return true;
}

double units_of(const Tally& t) { return t.hardware && t.quantity > 0 ? t.quantity : 1.0; }

class Builder {
 public:
  Builder(const PowerReport& r, Model& m) : report_(r), model_(m) {
    if (!(r.times.clock_mhz > 0))
      throw InputError("the Accelergy export needs the accelerator clock (accel.clock_mhz): leakage is per cycle");
    period_ns_ = 1000.0 / r.times.clock_mhz;
    cycles_ = r.times.simulated_s * r.times.clock_mhz * 1e6;
  }

  void assign_price_sets(Node& root) {
    std::map<std::string, std::vector<Tally*>> by_class;
    std::vector<std::string> order;
    collect(root, by_class, order);
    for (const auto& cls : order) {
      std::vector<UnitPrices> sets;
      for (Tally* t : by_class[cls]) {
        const UnitPrices p = prices_of(*t);
        size_t s = 0;
        while (s < sets.size() && !agree(sets[s], p)) ++s;
        if (s == sets.size()) sets.push_back(p);
        t->price_set = int(s) + 1;
      }
      if (sets.size() == 1)
        for (Tally* t : by_class[cls]) t->price_set = 0;
    }
  }

  void walk(const Node& n, const std::string& prefix, uint64_t instances, ArchNode& into) {
    const std::string name = prefix + "." + n.name;
    const uint64_t inst = instances * n.range;
    if (n.tallies.empty()) {
      into.subtree.push_back(ArchNode{n.name, {}, {}});
      for (const auto& c : n.children) walk(c, name, inst, into.subtree.back());
      return;
    }
    if (n.children.empty() && n.tallies.size() == 1) {
      add_primitive(n.tallies[0], n.name, name, inst, into);
      return;
    }
    const bool simple_children = std::all_of(n.children.begin(), n.children.end(), [](const Node& c) {
      return c.children.empty() && c.tallies.size() == 1 && c.range == 1;
    });
    if (simple_children) {
      add_compound(n, name, inst, into);
      return;
    }
    // Parts at two levels: a container, its own parts named by their class.
    into.subtree.push_back(ArchNode{n.name, {}, {}});
    ArchNode& container = into.subtree.back();
    for (const auto& t : n.tallies) {
      const std::string local = own_part_name(n, t);
      add_primitive(t, local, name + "." + local, inst, container);
    }
    for (const auto& c : n.children) walk(c, name, inst, container);
  }

  void add_roll_up() {
    const AreaRollUp& a = report_.area_roll_up;
    for (const auto& n : model_.system.subtree)
      if (n.name == kRollUpNode)
        throw std::logic_error("a component named " + std::string(kRollUpNode) + " clashes with the area roll-up");
    ArchNode node{kRollUpNode, {}, {}};
    for (const auto& [role, area] : {std::make_pair(std::string("array_periphery"), a.array_periphery_added_um2),
                                     std::make_pair(std::string("logic_routing"), a.logic_routing_added_um2)}) {
      if (!(area > 0)) continue;
      Part p;
      p.name = role;
      p.cls = kRollUpClass;
      p.basis = "instance";
      p.area_um2 = area;
      p.role = role;
      p.scbnn = role == "array_periphery" ? "area roll-up: the array macros beyond their counted parts"
                                          : "area roll-up: the routing space of the standard-cell logic";
      p.actions.push_back(leak_action(0, 1));
      Component c{
          std::string("system.") + kRollUpNode + "." + role, role, 1, kRollUpClass, false, {p}, p.actions, area};
      node.locals.push_back(model_.components.size());
      model_.components.push_back(std::move(c));
    }
    if (!node.locals.empty()) model_.system.subtree.push_back(std::move(node));
  }

  void add_tables_and_class_actions() {
    std::vector<std::string> order;
    std::map<std::string, std::vector<const Part*>> by_class;
    for (const auto& c : model_.components)
      for (const auto& p : c.parts) {
        if (!by_class.count(p.cls)) order.push_back(p.cls);
        by_class[p.cls].push_back(&p);
      }
    for (const auto& cls : order) {
      model_.class_actions.emplace_back(cls, names_of(cls).text);
      model_.tables.push_back(table_of(cls, by_class[cls]));
    }
  }

 private:
  void collect(Node& n, std::map<std::string, std::vector<Tally*>>& by_class, std::vector<std::string>& order) {
    for (auto& t : n.tallies) {
      if (!by_class.count(t.cls)) order.push_back(t.cls);
      by_class[t.cls].push_back(&t);
    }
    for (auto& c : n.children) collect(c, by_class, order);
  }

  UnitPrices prices_of(const Tally& t) const {
    UnitPrices p;
    p.area_um2 = t.area_um2 / units_of(t);
    p.leak_pj = leak_per_cycle(t.leakage_nw) / units_of(t);
    for (const auto& a : t.actions) p.energy_per_count_pj[a.name] = a.energy_per_count_pj;
    return p;
  }

  double leak_per_cycle(double leakage_nw) const { return leakage_nw * period_ns_ * 1e-6; }  // nW x ns = 1e-6 pJ

  Action leak_action(double leak_pj, uint64_t instances) const {
    Action a;
    a.name = kLeak;
    a.energy_pj = leak_pj;
    a.leak_cycles = cycles_ * double(instances);
    return a;
  }

  const ClassNames& names_of(const std::string& cls) {
    auto it = names_.find(cls);
    if (it == names_.end()) it = names_.emplace(cls, class_names(cls)).first;
    return it->second;
  }

  // The Accelergy actions of a tally: each counted action under its name, a carrier with
  // its carried actions per count as arguments (and their energy added), then leak.
  std::vector<Action> actions_of(const Tally& t, uint64_t instances) {
    const ClassNames& names = names_of(t.cls);
    std::vector<Action> actions;
    for (const auto& [scbnn, accelergy] : names.actions) {
      const ScbnnAction* x = t.find(scbnn);
      if (!x) continue;
      Action a;
      a.name = accelergy;
      a.events = x->count;
      a.energy_pj = x->energy_per_count_pj;
      for (const auto& [carried, carrier] : names.carried) {
        const ScbnnAction* y = carrier == scbnn ? t.find(carried) : nullptr;
        if (!y) continue;
        const double per = double(y->count) / double(x->count);
        a.arguments.emplace_back(carried, per);
        a.energy_pj += per * y->energy_per_count_pj;
      }
      actions.push_back(std::move(a));
    }
    for (const auto& [carried, carrier] : names.carried)
      if (t.find(carried) && !t.find(carrier))
        throw std::logic_error(t.scbnn + " counted " + carried + " without " + carrier + ", which carries it");
    actions.push_back(leak_action(leak_per_cycle(t.leakage_nw), instances));
    return actions;
  }

  Part part_of(const Tally& t, const std::string& name, uint64_t instances) {
    Part p;
    p.name = name;
    p.cls = t.cls;
    p.basis = t.basis;
    p.n_instances = units_of(t);
    p.area_um2 = t.area_um2;
    p.leak_pj = leak_per_cycle(t.leakage_nw);
    p.price_set = t.price_set;
    p.scbnn = t.scbnn;
    p.actions = actions_of(t, instances);
    return p;
  }

  static std::string own_part_name(const Node& n, const Tally& t) {
    std::string name = t.cls;
    while (find_child(n, name)) name += "_part";
    return name;
  }

  void add_primitive(const Tally& t, const std::string& local, const std::string& full, uint64_t instances,
                     ArchNode& into) {
    Part p = part_of(t, local, instances);
    Component c{full, local, instances, t.cls, false, {}, p.actions, p.area_um2};
    c.parts.push_back(std::move(p));
    into.locals.push_back(model_.components.size());
    model_.components.push_back(std::move(c));
  }

  void add_compound(const Node& n, const std::string& full, uint64_t instances, ArchNode& into) {
    std::vector<Part> subs;
    for (const auto& t : n.tallies) subs.push_back(part_of(t, own_part_name(n, t), instances));
    for (const auto& c : n.children) subs.push_back(part_of(c.tallies[0], c.name, instances));
    const CompoundClass& cls = compound_class(n, subs);
    Component c{full, n.name, instances, cls.name, true, {}, {}, 0};
    double leak = 0;
    for (const auto& p : subs) {
      c.area_um2 += p.area_um2;
      leak += p.leak_pj;
      for (const auto& a : p.actions) {
        if (a.is_leak()) continue;
        Action x = a;
        x.name = compound_action(cls, p.name, a.name);
        c.actions.push_back(std::move(x));
      }
    }
    c.actions.push_back(leak_action(leak, instances));
    c.parts = std::move(subs);
    into.locals.push_back(model_.components.size());
    model_.components.push_back(std::move(c));
  }

  static std::string compound_action(const CompoundClass& cls, const std::string& sub, const std::string& action) {
    for (const auto& a : cls.actions)
      if (a.sub == sub && a.sub_action == action) return a.name;
    throw std::logic_error("compound class " + cls.name + " has no action for " + sub + "." + action);
  }

  // The compound class of `n` with these subcomponents: actions named by their subcomponent's
  // Accelergy names, prefixed with the subcomponent where two would share one.
  const CompoundClass& compound_class(const Node& n, const std::vector<Part>& subs) {
    CompoundClass cls;
    std::string signature;
    for (const auto& p : subs) {
      std::string basis = p.basis;
      for (auto& ch : basis)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      cls.subs.push_back({p.name, p.cls, p.basis, p.name + "_" + basis + "s", p.price_set > 0});
      signature += p.name + ":" + p.cls + ":" + p.basis + ":" + (p.price_set > 0 ? "p" : "") + ";";
    }
    std::map<std::string, int> uses;
    for (const auto& p : subs)
      for (const auto& [scbnn, accelergy] : names_of(p.cls).actions) ++uses[accelergy];
    for (const auto& p : subs)
      for (const auto& [scbnn, accelergy] : names_of(p.cls).actions)
        cls.actions.push_back({uses[accelergy] > 1 ? p.name + "_" + accelergy : accelergy, p.name, accelergy});
    std::string base = (n.tallies.size() == 1 ? n.tallies[0].cls : n.name.substr(0, n.name.find('['))) + "_tile";
    for (size_t i = 0; i < model_.classes.size(); ++i)
      if (signatures_[i] == signature) return model_.classes[i];
    std::string name = base;
    for (int k = 2; std::any_of(model_.classes.begin(), model_.classes.end(),
                                [&](const CompoundClass& c) { return c.name == name; });
         ++k)
      name = base + "_" + std::to_string(k);
    cls.name = name;
    model_.classes.push_back(std::move(cls));
    signatures_.push_back(signature);
    return model_.classes.back();
  }

  ClassTable table_of(const std::string& cls, const std::vector<const Part*>& parts) {
    ClassTable t;
    t.cls = cls;
    const bool roll_up = cls == kRollUpClass;
    const bool priced_in_sets = std::any_of(parts.begin(), parts.end(), [](const Part* p) { return p->price_set > 0; });
    if (roll_up) t.key_columns.push_back("role");
    if (priced_in_sets) t.key_columns.push_back("price_set");
    std::set<std::string> seen;
    for (const Part* p : parts) {
      std::vector<std::string> keys;
      if (roll_up) keys.push_back(p->role);
      if (priced_in_sets) keys.push_back(std::to_string(p->price_set));
      const double area = p->area_um2 / p->n_instances;
      for (const auto& a : p->actions) {
        ClassTable::Row row{keys, a.name, a.arguments, a.is_leak() ? a.energy_pj / p->n_instances : a.energy_pj, area};
        std::string id;
        for (const auto& k : keys) id += k + ",";
        id += a.name;
        for (const auto& [arg, v] : a.arguments) {
          id += "," + arg + "=" + shortest_number(v);  // a key only
          if (std::find(t.argument_columns.begin(), t.argument_columns.end(), arg) == t.argument_columns.end())
            t.argument_columns.push_back(arg);
        }
        if (seen.insert(id).second) t.rows.push_back(std::move(row));
      }
    }
    return t;
  }

  const PowerReport& report_;
  Model& model_;
  double period_ns_ = 0, cycles_ = 0;
  std::map<std::string, ClassNames> names_;
  std::vector<std::string> signatures_;  // of model_.classes
};

}  // namespace

const std::string& scbnn_actions_of(const Model& model, const std::string& cls) {
  for (const auto& [c, text] : model.class_actions)
    if (c == cls) return text;
  throw std::logic_error("no Accelergy action names for class " + cls);
}

Model build_model(const PowerReport& r) {
  Model m;
  m.technology = shortest_number(r.feature_nm) + "nm";
  m.preset = r.preset;
  m.system.name = "system";
  Builder builder(r, m);
  m.cycle_seconds = 1.0 / (r.times.clock_mhz * 1e6);
  Node root = scbnn_tree(r);
  sort_tallies(root);
  collapse_lists(root);
  builder.assign_price_sets(root);
  if (!root.tallies.empty()) throw std::logic_error("a component with an empty name in the Accelergy export");
  for (const auto& c : root.children) builder.walk(c, "system", 1, m.system);
  builder.add_roll_up();
  builder.add_tables_and_class_actions();
  return m;
}

}  // namespace scbnn::accelergy_export
