using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FfmpegFunctions.Core.Security;

/// <summary>
/// Keys are 32 random bytes in base64url; what is stored (in the database, or as Auth:InternalKeyHash) is
/// base64url(SHA-256(UTF-8 bytes of the key)), no padding. The same in a shell:
/// <c>printf %s "$key" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='</c>,
/// or <c>dotnet FfmpegFunctions.Server.dll hash-key "$key"</c>. A plain hash is enough: the keys are
/// random 256-bit secrets, not passwords, so there is nothing for a slow hash to protect.
/// </summary>
public static class ApiKeyHash
{
    public const int HashLength = 43;

    public static string NewKey() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Compute(string key) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool IsWellFormed(string? hash) =>
        hash is { Length: HashLength } && Base64Url.IsValid(hash, out var length) && length == 32;

    /// <summary>Compares two hashes in constant time.</summary>
    public static bool Matches(string hash, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(expected));
}
