using System.Security.Cryptography;
using System.Text;

namespace FfmpegFunctions.Core.Webhooks;

/// <summary>
/// Webhook-Signature: v1=hex(HMAC-SHA256(secret, "{timestamp}.{body}")), with Webhook-Timestamp in unix
/// seconds, so a receiver can reject replays of old events. docs/webhooks.md shows the check.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "Webhook-Timestamp";
    public const string SignatureHeader = "Webhook-Signature";
    public const string IdHeader = "Webhook-Id";

    public static string Sign(string secret, long timestamp, string body)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var message = Encoding.UTF8.GetBytes($"{timestamp}.{body}");
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, message));
    }

    /// <summary>Constant-time check of a received signature header (what a receiver does).</summary>
    public static bool Verify(string secret, long timestamp, string body, string signatureHeader) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)),
            Encoding.ASCII.GetBytes(signatureHeader));
}
