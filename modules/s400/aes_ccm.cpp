#include "aes_ccm.hpp"

#include <limits>
#include <memory>

#include <openssl/evp.h>

namespace ble2garmin::modules::s400 {
namespace {

struct ContextFree {
    void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using Context = std::unique_ptr<EVP_CIPHER_CTX, ContextFree>;

// Fetched once: EVP_aes_128_ccm() would make OpenSSL 3 look the implementation up on every init.
const EVP_CIPHER* cipher()
{
    static EVP_CIPHER* const k_cipher = EVP_CIPHER_fetch(nullptr, "AES-128-CCM", nullptr);
    return k_cipher;
}

int length_of(std::span<const std::uint8_t> bytes)
{
    return static_cast<int>(bytes.size());
}

// CCM of OpenSSL takes int lengths; an empty message would turn the data call into a length call.
bool usable(std::span<const std::uint8_t> aad, std::span<const std::uint8_t> message)
{
    constexpr auto k_max = static_cast<std::size_t>(std::numeric_limits<int>::max() / 2);
    return !message.empty() && message.size() <= k_max && aad.size() <= k_max;
}

// Announces the message length, then passes the associated data (CCM needs both before the data).
bool announce(EVP_CIPHER_CTX* context, std::span<const std::uint8_t> aad,
              std::span<const std::uint8_t> message)
{
    int written = 0;
    if (EVP_CipherUpdate(context, nullptr, &written, nullptr, length_of(message)) != 1) {
        return false;
    }
    return aad.empty() || EVP_CipherUpdate(context, nullptr, &written, aad.data(), length_of(aad)) == 1;
}

// A context set up for CCM with our nonce and tag lengths, `key` and `nonce`; null on failure.
// `tag` is the expected tag when decrypting and null when encrypting.
Context start(bool encrypt, const BindKey& key, const Nonce& nonce, const Tag* tag)
{
    Tag expected{};  // EVP_CIPHER_CTX_ctrl takes a non-const pointer
    if (tag != nullptr) {
        expected = *tag;
    }
    Context context(EVP_CIPHER_CTX_new());
    if (!context || cipher() == nullptr ||
        EVP_CipherInit_ex(context.get(), cipher(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()),
                            nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(Tag{}.size()),
                            tag != nullptr ? expected.data() : nullptr) != 1 ||
        EVP_CipherInit_ex(context.get(), nullptr, nullptr, key.data(), nonce.data(), encrypt ? 1 : 0) != 1) {
        return nullptr;
    }
    return context;
}

}  // namespace

Result<Bytes> ccm_decrypt(const BindKey& key, const Nonce& nonce, std::span<const std::uint8_t> aad,
                          std::span<const std::uint8_t> ciphertext, const Tag& tag)
{
    if (!usable(aad, ciphertext)) {
        return make_error("AES-CCM ciphertext must not be empty");
    }
    Context context = start(false, key, nonce, &tag);
    if (!context) {
        return make_error("AES-128-CCM is not available from OpenSSL");
    }
    if (!announce(context.get(), aad, ciphertext)) {
        return make_error("AES-CCM set-up failed");
    }
    Bytes plaintext(ciphertext.size());
    int written = 0;
    // The final update returns 0 when the tag does not match; no output is released then.
    if (EVP_CipherUpdate(context.get(), plaintext.data(), &written, ciphertext.data(),
                         length_of(ciphertext)) != 1) {
        return make_error("AES-CCM tag mismatch");
    }
    return plaintext;
}

Result<Sealed> ccm_encrypt(const BindKey& key, const Nonce& nonce, std::span<const std::uint8_t> aad,
                           std::span<const std::uint8_t> plaintext)
{
    if (!usable(aad, plaintext)) {
        return make_error("AES-CCM plaintext must not be empty");
    }
    Context context = start(true, key, nonce, nullptr);
    if (!context) {
        return make_error("AES-128-CCM is not available from OpenSSL");
    }
    Sealed sealed;
    sealed.ciphertext.resize(plaintext.size());
    int written = 0;
    if (!announce(context.get(), aad, plaintext) ||
        EVP_CipherUpdate(context.get(), sealed.ciphertext.data(), &written, plaintext.data(),
                         length_of(plaintext)) != 1 ||
        EVP_CipherFinal_ex(context.get(), sealed.ciphertext.data() + written, &written) != 1 ||
        EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(sealed.tag.size()),
                            sealed.tag.data()) != 1) {
        return make_error("AES-CCM encryption failed");
    }
    return sealed;
}

}  // namespace ble2garmin::modules::s400
