#pragma once
// AES-128-CCM with a 12-byte nonce and a 4-byte tag, as MiBeacon v4/v5 uses it
// (shared/spec/device-s400.md §3), on OpenSSL 3 EVP. The only file of the project that includes
// OpenSSL headers.

#include <array>
#include <cstdint>
#include <span>

#include "ble2garmin/advertisement.hpp"
#include "ble2garmin/result.hpp"

namespace ble2garmin::modules::s400 {

using BindKey = std::array<std::uint8_t, 16>;
using Nonce = std::array<std::uint8_t, 12>;
using Tag = std::array<std::uint8_t, 4>;

// The plaintext of `ciphertext`; an Error when the tag does not authenticate (wrong key, wrong
// address in the nonce, or a tampered frame) or OpenSSL fails. The message never contains the key.
Result<Bytes> ccm_decrypt(const BindKey& key, const Nonce& nonce, std::span<const std::uint8_t> aad,
                          std::span<const std::uint8_t> ciphertext, const Tag& tag);

struct Sealed {
    Bytes ciphertext;
    Tag tag{};
};

// The ciphertext and tag of `plaintext` — the scale's side, used by tests, the fuzzer and the
// benchmark to build frames; an Error only when OpenSSL fails.
Result<Sealed> ccm_encrypt(const BindKey& key, const Nonce& nonce, std::span<const std::uint8_t> aad,
                           std::span<const std::uint8_t> plaintext);

}  // namespace ble2garmin::modules::s400
