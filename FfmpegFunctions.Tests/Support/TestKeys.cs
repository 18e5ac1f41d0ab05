using FfmpegFunctions.Core.Security;

namespace FfmpegFunctions.Tests.Support;

/// <summary>The keys every test host accepts: the API key as Auth:BootstrapKey, the internal key by its hash.</summary>
public static class TestKeys
{
    public const string Header = "X-API-Key";
    public const string Api = "test-api-key-0123456789";
    public const string Internal = "test-internal-key-0123456789";
    public static readonly string InternalHash = ApiKeyHash.Compute(Internal);
}
