using System.Text.Json;
using System.Text.Json.Serialization;

namespace FfmpegFunctions.Core.Webhooks;

internal static class WebhookJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
