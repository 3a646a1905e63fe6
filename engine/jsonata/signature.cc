#include "engine/jsonata/signature.h"

#include "engine/jsonata/errors.h"
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/value.h"

namespace fleetflow::jsonata::internal {
namespace {

constexpr std::string_view kTypeLetters = "bnsloafjxu";

std::string Expand(char type) {
  switch (type) {
    case 'j':
      return "bnsloa";
    case 'x':
      return "bnsloaf";
    case 'u':
      return "bnsl";
    default:
      return std::string(1, type);
  }
}

bool Accepts(const SignatureParam& p, char letter) {
  if (letter == 'm') return true;
  if (p.types.find('a') != std::string::npos && p.types.size() == 1) return true;
  return p.types.find(letter) != std::string::npos;
}

}  // namespace

char TypeLetter(const Value& v) {
  switch (v.kind()) {
    case Kind::kUndefined:
      return 'm';
    case Kind::kNull:
      return 'l';
    case Kind::kBool:
      return 'b';
    case Kind::kNumber:
      return 'n';
    case Kind::kString:
      return 's';
    case Kind::kArray:
      return 'a';
    case Kind::kObject:
      return 'o';
    default:
      return 'f';
  }
}

Signature ParseSignature(std::string_view text, int position) {
  Signature sig;
  sig.text = std::string(text);
  size_t i = 1;  // past '<'
  while (i < text.size()) {
    char c = text[i];
    if (c == ':' || c == '>') break;
    if (kTypeLetters.find(c) != std::string_view::npos) {
      SignatureParam p;
      p.types = Expand(c);
      sig.params.push_back(p);
      ++i;
    } else if (c == '(') {
      size_t end = text.find(')', i);
      if (end == std::string_view::npos) Throw("S0401", position, std::string(text));
      SignatureParam p;
      for (size_t k = i + 1; k < end; ++k) {
        if (text[k] == '<') Throw("S0402", position, std::string(text));
        if (kTypeLetters.find(text[k]) == std::string_view::npos)
          Throw("S0401", position, std::string(text));
        p.types += Expand(text[k]);
      }
      sig.params.push_back(p);
      i = end + 1;
    } else if (c == '<') {
      if (sig.params.empty()) Throw("S0401", position, std::string(text));
      SignatureParam& p = sig.params.back();
      if (p.types != "a" && p.types != "f") Throw("S0401", position, std::string(text));
      int depth = 1;
      size_t start = i + 1;
      ++i;
      while (i < text.size() && depth > 0) {
        if (text[i] == '<') ++depth;
        if (text[i] == '>') --depth;
        ++i;
      }
      if (p.types == "a" && i - start == 2) p.array_of = text[start];
    } else if (c == '?') {
      if (sig.params.empty()) Throw("S0401", position, std::string(text));
      sig.params.back().optional = true;
      ++i;
    } else if (c == '+') {
      if (sig.params.empty()) Throw("S0401", position, std::string(text));
      sig.params.back().variadic = true;
      ++i;
    } else if (c == '-') {
      if (sig.params.empty()) Throw("S0401", position, std::string(text));
      sig.params.back().use_context = true;
      ++i;
    } else {
      Throw("S0401", position, std::string(text));
    }
  }
  return sig;
}

namespace {

// Assigns arguments to parameters: counts[p] arguments go to parameter p.
bool Match(const Signature& sig, const std::string& letters, size_t p, size_t a,
           std::vector<int>& counts) {
  if (p == sig.params.size()) return a == letters.size();
  const SignatureParam& param = sig.params[p];
  size_t max = param.variadic ? letters.size() - a : std::min<size_t>(1, letters.size() - a);
  size_t accepted = 0;
  while (accepted < max && Accepts(param, letters[a + accepted])) ++accepted;
  size_t min = (param.optional || param.use_context) ? 0 : 1;
  for (size_t n = accepted + 1; n-- > min;) {
    counts[p] = static_cast<int>(n);
    if (Match(sig, letters, p + 1, a + n, counts)) return true;
  }
  return false;
}

}  // namespace

std::pmr::vector<Value> ValidateArguments(Evaluator& ev, const Signature& sig,
                                          std::span<const Value> args, const Value& context,
                                          int position, std::string_view name) {
  std::string letters;
  for (const Value& v : args) letters.push_back(TypeLetter(v));
  std::vector<int> counts(sig.params.size(), 0);
  if (!Match(sig, letters, 0, 0, counts)) {
    // Report the first argument no parameter could take.
    size_t bad = 0;
    for (size_t i = 0; i < args.size() && i < sig.params.size(); ++i) {
      if (!Accepts(sig.params[i], letters[i])) break;
      bad = i + 1;
    }
    Throw("T0410", position, name, std::to_string(bad + 1));
  }
  std::pmr::vector<Value> out(ev.arena());
  size_t a = 0;
  for (size_t p = 0; p < sig.params.size(); ++p) {
    const SignatureParam& param = sig.params[p];
    if (counts[p] == 0 && param.use_context) {
      Value ctx = context;
      if (ctx.is_array() && !ctx.is_json() && ctx.array()->outer_wrapper &&
          !ctx.array()->items.empty())
        ctx = ctx.array()->items[0];
      char letter = TypeLetter(ctx);
      if (!Accepts(param, letter)) Throw("T0411", position, name, std::to_string(p + 1));
      out.push_back(ctx);
      continue;
    }
    for (int k = 0; k < counts[p]; ++k, ++a) {
      Value v = args[a];
      if (param.types == "a" && !v.undefined()) {
        if (!v.is_array()) {
          ArrayData* wrapped = ev.NewArray();
          wrapped->items.push_back(v);
          v = Value::Array(wrapped);
        }
        if (param.array_of) {
          size_t n = ArraySize(v);
          for (size_t i = 0; i < n; ++i) {
            char el = TypeLetter(ArrayAt(v, i));
            bool ok = param.array_of == 'x' || el == param.array_of ||
                      (param.array_of == 'j' && el != 'f');
            if (!ok) Throw("T0412", position, name, std::to_string(a + 1));
          }
        }
      }
      out.push_back(v);
    }
  }
  return out;
}

}  // namespace fleetflow::jsonata::internal
