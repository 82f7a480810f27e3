#pragma once
// Per-event failures are values (ARCHITECTURE principle 5): a decode, a CSV write or an HTTP call
// returns Result<T>, and the caller decides what to log and whether to retry. std::expected is
// C++23 and not in g++ 12 / clang 14, hence this small stand-in.

#include <string>
#include <utility>
#include <variant>

namespace ble2garmin {

// A one-line, human-readable reason. Never contains a secret.
struct Error {
    std::string message;
};

inline Error make_error(std::string message)
{
    return Error{std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}  // NOLINT

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

}  // namespace ble2garmin
