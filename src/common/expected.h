#pragma once
// A subset of C++23 std::expected: GCC 12 has none in C++20 mode. When the project moves to
// C++23 this header becomes `template <class T, class E> using Expected = std::expected<T, E>;`.
//
//   gh::Expected<int, Error> parsePort(std::string_view s);
//   auto port = parsePort("5060");
//   if (!port) log(port.error());
//   use(*port);

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

namespace gh {

template <class E>
class Unexpected {
public:
  explicit Unexpected(E error) : error_(std::move(error)) {}

  const E& error() const& { return error_; }

  E&& error() && { return std::move(error_); }

private:
  E error_;
};

template <class E>
Unexpected(E) -> Unexpected<E>;

template <class T, class E>
class [[nodiscard]] Expected {
public:
  using value_type = T;
  using error_type = E;

  Expected() requires std::is_default_constructible_v<T> : storage_(std::in_place_index<0>) {}

  Expected(const T& value) : storage_(std::in_place_index<0>, value) {} // NOLINT

  Expected(T&& value) : storage_(std::in_place_index<0>, std::move(value)) {} // NOLINT

  template <class G>
  Expected(const Unexpected<G>& u) : storage_(std::in_place_index<1>, u.error()) {} // NOLINT

  template <class G>
  Expected(Unexpected<G>&& u) // NOLINT
      : storage_(std::in_place_index<1>, std::move(u).error()) {}

  bool has_value() const { return storage_.index() == 0; }

  explicit operator bool() const { return has_value(); }

  T& value() & { return checked(); }

  const T& value() const& { return const_cast<Expected*>(this)->checked(); }

  T&& value() && { return std::move(checked()); }

  T& operator*() & { return checked(); }

  const T& operator*() const& { return const_cast<Expected*>(this)->checked(); }

  T&& operator*() && { return std::move(checked()); }

  T* operator->() { return &checked(); }

  const T* operator->() const { return &const_cast<Expected*>(this)->checked(); }

  const E& error() const& {
    if (has_value()) {
      std::abort();
    }
    return std::get<1>(storage_);
  }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(storage_) : static_cast<T>(std::forward<U>(fallback));
  }

private:
  T& checked() {
    if (!has_value()) {
      std::abort(); // reading a value that is an error is a programming bug, never input-driven
    }
    return std::get<0>(storage_);
  }

  std::variant<T, E> storage_;
};

// Expected<void, E>: success carries nothing.
template <class E>
class [[nodiscard]] Expected<void, E> {
public:
  Expected() = default;

  template <class G>
  Expected(const Unexpected<G>& u) : error_(u.error()), ok_(false) {} // NOLINT

  bool has_value() const { return ok_; }

  explicit operator bool() const { return ok_; }

  const E& error() const& {
    if (ok_) {
      std::abort();
    }
    return error_;
  }

private:
  E error_{};
  bool ok_ = true;
};

} // namespace gh
