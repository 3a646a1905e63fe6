#include "engine/jsonata/jsonata.h"

#include <memory_resource>
#include <new>

#include "absl/strings/str_cat.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/interop.h"
#include "engine/jsonata/parser.h"

namespace fleetflow::jsonata {

void Bindings::Set(std::string name, json::Value value) {
  auto owned = std::make_shared<const json::Value>(std::move(value));
  values_[name] = owned.get();
  owned_[std::move(name)] = std::move(owned);
}

void Bindings::SetRef(std::string name, const json::Value* value) {
  owned_.erase(name);
  values_[std::move(name)] = value;
}

void Bindings::SetFunction(std::string name, NativeFunction fn) {
  functions_[std::move(name)] = std::move(fn);
}

const json::Value* Bindings::FindValue(std::string_view name) const {
  auto it = values_.find(absl::string_view(name.data(), name.size()));
  return it == values_.end() ? nullptr : it->second;
}

const NativeFunction* Bindings::FindFunction(std::string_view name) const {
  auto it = functions_.find(absl::string_view(name.data(), name.size()));
  return it == functions_.end() ? nullptr : &it->second;
}

namespace {

// Counts what the evaluation's arena takes from the heap and stops it at
// the configured limit.
class LimitedResource : public std::pmr::memory_resource {
 public:
  explicit LimitedResource(size_t limit) : limit_(limit) {}

 private:
  void* do_allocate(size_t bytes, size_t align) override {
    if (bytes > limit_ - used_)
      internal::Throw("U1001", -1, "", "Evaluation exceeded its memory limit");
    used_ += bytes;
    return std::pmr::new_delete_resource()->allocate(bytes, align);
  }
  void do_deallocate(void* p, size_t bytes, size_t align) override {
    used_ -= bytes;
    std::pmr::new_delete_resource()->deallocate(p, bytes, align);
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  size_t limit_;
  size_t used_ = 0;
};

}  // namespace

Expression::Expression(std::unique_ptr<internal::Program> program) : program_(std::move(program)) {}
Expression::~Expression() = default;

const std::string& Expression::text() const { return program_->text; }

Evaluation Expression::Evaluate(const json::Value* input, const Bindings& bindings,
                                const EvalOptions& options) const {
  Evaluation out;
  alignas(std::max_align_t) char buffer[4096];
  LimitedResource limited(options.max_memory_bytes);
  try {
    std::pmr::monotonic_buffer_resource arena(buffer, sizeof buffer, &limited);
    internal::Evaluator ev(*program_, bindings, options, &arena);
    internal::Value in = input ? internal::Value::FromJson(*input) : internal::Value();
    out.value = internal::ToJson(ev.Run(in));
  } catch (const internal::JsonataError& e) {
    out.value.reset();
    out.error = internal::ToPublic(e);
  } catch (const std::bad_alloc&) {
    out.value.reset();
    out.error = Error{"U1001", -1, "", "Evaluation ran out of memory"};
  } catch (const std::length_error&) {
    out.value.reset();
    out.error = Error{"U1001", -1, "", "Evaluation exceeded its memory limit"};
  }
  return out;
}

absl::StatusOr<std::shared_ptr<const Expression>> Compile(std::string_view text, Error* error) {
  try {
    return std::make_shared<const Expression>(internal::Parse(text));
  } catch (const internal::JsonataError& e) {
    Error pub = internal::ToPublic(e);
    std::string message = absl::StrCat(pub.code, " at ", pub.position, ": ", pub.message);
    if (error) *error = std::move(pub);
    return absl::InvalidArgumentError(message);
  }
}

}  // namespace fleetflow::jsonata
