#pragma once
// The evaluator's value: 16 bytes, trivially copyable. Sub-documents of the
// input are referenced (a pointer into the caller's json::Value), computed
// values live in the evaluation's arena and die with it. Nothing is copied
// until the final result is converted back to JSON.

#include <cstdint>
#include <memory_resource>
#include <string_view>
#include <vector>

#include "engine/json/json.h"

namespace fleetflow::jsonata::internal {

enum class Kind : uint8_t {
  kUndefined,
  kNull,
  kBool,
  kNumber,
  kString,
  kArray,
  kObject,
  kFunction,
  kTuples,    // a tuple stream between path steps (never user-visible)
  kTailCall,  // a pending tail call, resolved by the caller's apply loop
};

struct ArrayData;
struct ObjectData;
struct FunctionData;
struct TupleStream;
struct TailCallData;

class Value {
 public:
  Value() : kind_(Kind::kUndefined), json_(false), len_(0), number_(0) {}
  static Value Null() { return Value(Kind::kNull); }
  static Value Bool(bool b) {
    Value v(Kind::kBool);
    v.bool_ = b;
    return v;
  }
  static Value Number(double d) {
    Value v(Kind::kNumber);
    v.number_ = d;
    return v;
  }
  // `s` must outlive the evaluation (arena, expression text or input).
  static Value String(std::string_view s) {
    Value v(Kind::kString);
    v.chars_ = s.data();
    v.len_ = static_cast<uint32_t>(s.size());
    return v;
  }
  static Value Array(ArrayData* a) {
    Value v(Kind::kArray);
    v.array_ = a;
    return v;
  }
  static Value Object(ObjectData* o) {
    Value v(Kind::kObject);
    v.object_ = o;
    return v;
  }
  static Value Function(FunctionData* f) {
    Value v(Kind::kFunction);
    v.function_ = f;
    return v;
  }
  static Value Tuples(TupleStream* t) {
    Value v(Kind::kTuples);
    v.tuples_ = t;
    return v;
  }
  static Value TailCall(TailCallData* t) {
    Value v(Kind::kTailCall);
    v.tail_ = t;
    return v;
  }
  // A view of part of the input document.
  static Value FromJson(const json::Value& j);

  Kind kind() const { return kind_; }
  bool undefined() const { return kind_ == Kind::kUndefined; }
  bool is(Kind k) const { return kind_ == k; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_function() const { return kind_ == Kind::kFunction; }
  // True when an array or object is a view into the input document.
  bool is_json() const { return json_; }

  bool boolean() const { return bool_; }
  double number() const { return number_; }
  std::string_view str() const { return {chars_, len_}; }
  const json::Array& json_array() const { return json_value_->get_array(); }
  const json::Object& json_object() const { return json_value_->get_object(); }
  const json::Value* json_value() const { return json_value_; }
  ArrayData* array() const { return array_; }
  ObjectData* object() const { return object_; }
  FunctionData* function() const { return function_; }
  TupleStream* tuples() const { return tuples_; }
  TailCallData* tail_call() const { return tail_; }

 private:
  explicit Value(Kind k) : kind_(k), json_(false), len_(0), number_(0) {}

  Kind kind_;
  bool json_;
  uint32_t len_;
  union {
    bool bool_;
    double number_;
    const char* chars_;
    const json::Value* json_value_;
    ArrayData* array_;
    ObjectData* object_;
    FunctionData* function_;
    TupleStream* tuples_;
    TailCallData* tail_;
  };
};
static_assert(sizeof(Value) == 16);

using ValueVector = std::pmr::vector<Value>;

// An array computed during evaluation. The flags mirror how JSONata tells
// a result sequence (flattened by paths, collapsed when singleton) from an
// array the expression built with [...] ("cons", kept whole).
struct ArrayData {
  explicit ArrayData(std::pmr::memory_resource* mr) : items(mr) {}
  ValueVector items;
  bool sequence = false;
  bool keep_singleton = false;
  bool cons = false;
  bool outer_wrapper = false;
};

struct ObjectData {
  explicit ObjectData(std::pmr::memory_resource* mr) : entries(mr) {}
  // Insertion ordered; keys live in the arena, expression or input.
  std::pmr::vector<std::pair<std::string_view, Value>> entries;
  Value* Find(std::string_view key);
  void Set(std::string_view key, Value v);
  void Erase(std::string_view key);
};

// One variable binding; frames and tuples share these persistent lists.
struct Binding {
  std::string_view name;
  Value value;
  const Binding* next;
};

// A tuple in a path's tuple stream: the context item plus the variables the
// path has bound so far (@ focus, # position, % ancestors).
struct Tuple {
  Value focus;
  const Binding* bindings = nullptr;
};

struct TupleStream {
  explicit TupleStream(std::pmr::memory_resource* mr) : tuples(mr) {}
  std::pmr::vector<Tuple> tuples;
};

struct TailCallData {
  Value procedure;
  ValueVector args;
  int position;
};

// Uniform access to input arrays/objects and computed ones.
size_t ArraySize(const Value& v);
Value ArrayAt(const Value& v, size_t i);
size_t ObjectSize(const Value& v);
// Undefined when absent.
Value ObjectGet(const Value& v, std::string_view key);
template <typename Fn>
void ForEachEntry(const Value& v, Fn&& fn) {
  if (v.is_json()) {
    for (const auto& kv : v.json_object())
      fn(std::string_view(kv.key().data(), kv.key().size()), Value::FromJson(kv.value()));
  } else {
    for (const auto& [k, val] : v.object()->entries) fn(k, val);
  }
}

}  // namespace fleetflow::jsonata::internal
