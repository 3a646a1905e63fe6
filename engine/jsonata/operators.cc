// Binary operators and the truthiness and equality rules they share.
#include <cmath>

#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/functions.h"

namespace fleetflow::jsonata::internal {

bool IsSequence(const Value& v) { return v.is_array() && !v.is_json() && v.array()->sequence; }

bool IsArrayOfNumbers(const Value& v) {
  if (!v.is_array()) return false;
  size_t n = ArraySize(v);
  for (size_t i = 0; i < n; ++i)
    if (!ArrayAt(v, i).is_number()) return false;
  return true;
}

bool IsArrayOfStrings(const Value& v) {
  if (!v.is_array()) return false;
  size_t n = ArraySize(v);
  for (size_t i = 0; i < n; ++i)
    if (!ArrayAt(v, i).is_string()) return false;
  return true;
}

bool ToBoolean(const Value& v) {
  switch (v.kind()) {
    case Kind::kBool:
      return v.boolean();
    case Kind::kNumber:
      return v.number() != 0;
    case Kind::kString:
      return !v.str().empty();
    case Kind::kArray: {
      size_t n = ArraySize(v);
      if (n == 1) return ToBoolean(ArrayAt(v, 0));
      for (size_t i = 0; i < n; ++i)
        if (ToBoolean(ArrayAt(v, i))) return true;
      return false;
    }
    case Kind::kObject:
      return ObjectSize(v) > 0;
    default:
      return false;
  }
}

bool DeepEqual(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kUndefined:
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.boolean() == b.boolean();
    case Kind::kNumber:
      return a.number() == b.number();
    case Kind::kString:
      return a.str() == b.str();
    case Kind::kArray: {
      if (a.is_json() && b.is_json() && a.json_value() == b.json_value()) return true;
      size_t n = ArraySize(a);
      if (n != ArraySize(b)) return false;
      for (size_t i = 0; i < n; ++i)
        if (!DeepEqual(ArrayAt(a, i), ArrayAt(b, i))) return false;
      return true;
    }
    case Kind::kObject: {
      if (a.is_json() && b.is_json() && a.json_value() == b.json_value()) return true;
      if (ObjectSize(a) != ObjectSize(b)) return false;
      bool equal = true;
      ForEachEntry(a, [&](std::string_view key, Value v) {
        if (equal) equal = DeepEqual(v, ObjectGet(b, key));
      });
      return equal;
    }
    case Kind::kFunction:
      return a.function() == b.function();
    default:
      return false;
  }
}

namespace {

// `in` compares like JavaScript's ===: by value for scalars, by identity
// for arrays and objects.
bool StrictEqual(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kArray:
    case Kind::kObject:
      if (a.is_json() != b.is_json()) return false;
      return a.is_json() ? a.json_value() == b.json_value()
                         : (a.is_array() ? a.array() == b.array() : a.object() == b.object());
    default:
      return DeepEqual(a, b);
  }
}

Value Arithmetic(const Node* node, const Value& lhs, const Value& rhs, Evaluator& ev) {
  // JSONata rejects non-finite operands (results are not checked).
  for (const Value* v : {&lhs, &rhs})
    if (v->is_number() && !std::isfinite(v->number()))
      Throw("D1001", node->position, "", FormatJsNumber(v->number()));
  if (!lhs.undefined() && !lhs.is_number())
    Throw("T2001", node->position, node->text, StringOf(ev, lhs));
  if (!rhs.undefined() && !rhs.is_number())
    Throw("T2002", node->position, node->text, StringOf(ev, rhs));
  if (lhs.undefined() || rhs.undefined()) return Value();
  double a = lhs.number(), b = rhs.number(), r = 0;
  switch (node->op) {
    case BinaryOp::kAdd:
      r = a + b;
      break;
    case BinaryOp::kSub:
      r = a - b;
      break;
    case BinaryOp::kMul:
      r = a * b;
      break;
    case BinaryOp::kDiv:
      r = a / b;
      break;
    default:
      r = std::fmod(a, b);
      break;
  }
  return Value::Number(r);
}

Value Compare(const Node* node, const Value& lhs, const Value& rhs, Evaluator& ev) {
  auto comparable = [](const Value& v) { return v.undefined() || v.is_string() || v.is_number(); };
  if (!comparable(lhs) || !comparable(rhs)) {
    const Value& bad = comparable(lhs) ? rhs : lhs;
    Throw("T2010", node->position, node->text, StringOf(ev, bad));
  }
  if (lhs.undefined() || rhs.undefined()) return Value();
  if (lhs.kind() != rhs.kind()) Throw("T2009", node->position, node->text);
  int c;
  if (lhs.is_number()) {
    c = lhs.number() < rhs.number() ? -1 : lhs.number() > rhs.number() ? 1 : 0;
  } else {
    c = lhs.str() < rhs.str() ? -1 : lhs.str() > rhs.str() ? 1 : 0;
  }
  switch (node->op) {
    case BinaryOp::kLt:
      return Value::Bool(c < 0);
    case BinaryOp::kLe:
      return Value::Bool(c <= 0);
    case BinaryOp::kGt:
      return Value::Bool(c > 0);
    default:
      return Value::Bool(c >= 0);
  }
}

Value Range(const Node* node, const Value& lhs, const Value& rhs, Evaluator& ev) {
  auto integral = [](const Value& v) {
    return v.is_number() && std::floor(v.number()) == v.number();
  };
  if (!lhs.undefined() && !integral(lhs)) Throw("T2003", node->position, "..", StringOf(ev, lhs));
  if (!rhs.undefined() && !integral(rhs)) Throw("T2004", node->position, "..", StringOf(ev, rhs));
  if (lhs.undefined() || rhs.undefined()) return Value();
  double from = lhs.number(), to = rhs.number();
  if (from > to) return Value();
  double size = to - from + 1;
  if (size > 1e7) Throw("D2014", node->position, "..", FormatJsNumber(size));
  ArrayData* out = ev.NewArray();
  out->items.reserve(static_cast<size_t>(size));
  for (double d = from; d <= to; d += 1) out->items.push_back(Value::Number(d));
  return Value::Array(out);
}

}  // namespace

// The reference rewrites `a ?? b` as `$exists(a) ? a : b` and `a ?: b` as
// `a ? a : b`, so its clock (reference_clock.h) counts `a` twice when `a` is
// the result. Evaluating it once gives the same value.
Value Evaluator::EvalDefault(const Node* node, Value input, const Frame* env) {
  bool coalesce = node->op == BinaryOp::kCoalesce;
  Value lhs;
  uint64_t lhs_turns = 0;
  {
    Await exists_call(clock_, coalesce ? 2 : 0);
    if (coalesce) clock_.Advance(1);  // looking up $exists
    uint64_t start = clock_.now();
    lhs = Eval(node->lhs, input, env);
    lhs_turns = clock_.now() - start;
    if (coalesce) clock_.Advance(2);  // applying it
  }
  if (coalesce ? lhs.undefined() : !ToBoolean(lhs)) return Eval(node->rhs, input, env);
  clock_.Advance(lhs_turns);
  return lhs;
}

Value Evaluator::EvalBinary(const Node* node, Value input, const Frame* env) {
  if (node->op == BinaryOp::kCoalesce || node->op == BinaryOp::kDefault)
    return EvalDefault(node, input, env);
  Value lhs = Eval(node->lhs, input, env);
  if (node->op == BinaryOp::kAnd || node->op == BinaryOp::kOr) {
    Await boolean(clock_, 1);
    bool left = ToBoolean(lhs);
    if (left == (node->op == BinaryOp::kOr)) return Value::Bool(left);
    Await right(clock_, 1);
    return Value::Bool(ToBoolean(Eval(node->rhs, input, env)));
  }
  Value rhs;
  {
    Await right(clock_, 1);
    rhs = Eval(node->rhs, input, env);
  }
  switch (node->op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      return Arithmetic(node, lhs, rhs, *this);
    case BinaryOp::kEq:
    case BinaryOp::kNe: {
      if (lhs.undefined() || rhs.undefined()) return Value::Bool(false);
      bool equal = DeepEqual(lhs, rhs);
      return Value::Bool(node->op == BinaryOp::kEq ? equal : !equal);
    }
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      return Compare(node, lhs, rhs, *this);
    case BinaryOp::kConcat: {
      std::string s = lhs.undefined() ? std::string() : StringOf(*this, lhs);
      if (!rhs.undefined()) s += StringOf(*this, rhs);
      return StringValue(s);
    }
    case BinaryOp::kIn: {
      if (lhs.undefined() || rhs.undefined()) return Value::Bool(false);
      bool found = false;
      ForEachItem(rhs, [&](const Value& v) { found = found || StrictEqual(v, lhs); });
      return Value::Bool(found);
    }
    case BinaryOp::kRange:
      return Range(node, lhs, rhs, *this);
    default:
      break;
  }
  return Value();
}

}  // namespace fleetflow::jsonata::internal
