#pragma once
// Writes compact JSON text straight into a string, without building a tree:
// the hot paths (the persisted execution state) serialize as they walk their
// own structures, and shared payloads are written in place, never copied.
// The writer places the commas; the caller keeps keys and values paired.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/json/json.h"

namespace fleetflow::json {

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  // A key that needs no escaping (the caller's own field names).
  Writer& Key(std::string_view key) {
    Separate();
    out_ += '"';
    out_ += key;
    out_ += "\":";
    return *this;
  }
  // A key from data (escaped).
  Writer& QuotedKey(std::string_view key) {
    Separate();
    AppendQuoted(out_, key);
    out_ += ':';
    return *this;
  }

  void Int(int64_t v) { Number(v); }
  void UInt(uint64_t v) { Number(v); }
  void Double(double v) {
    Separate();
    AppendSerialized(out_, json::Value(v));
    after_value_ = true;
  }
  void Bool(bool v) {
    Separate();
    out_ += v ? "true" : "false";
    after_value_ = true;
  }
  void String(std::string_view v) {
    Separate();
    AppendQuoted(out_, v);
    after_value_ = true;
  }
  void Json(const json::Value& v) {
    Separate();
    AppendSerialized(out_, v);
    after_value_ = true;
  }
  void Json(const json::Object& o) {
    Separate();
    AppendSerialized(out_, o);
    after_value_ = true;
  }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

 private:
  template <typename T>
  void Number(T v) {
    Separate();
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out_.append(buf, end - buf);
    after_value_ = true;
  }
  // A comma between members; none after a key or an opening bracket.
  void Separate() {
    if (after_value_) out_ += ',';
    after_value_ = false;
  }
  void Open(char bracket) {
    Separate();
    out_ += bracket;
  }
  void Close(char bracket) {
    out_ += bracket;
    after_value_ = true;
  }

  std::string& out_;
  bool after_value_ = false;
};

}  // namespace fleetflow::json
