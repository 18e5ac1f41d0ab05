using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    [Fact]
    public void TheServerRefusesToStartWithWebhooksEnabledAndNoSigningSecret()
    {
        using var factory = new ServerFactory(new Dictionary<string, string?> { ["Webhooks:SigningSecret"] = "" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("'Webhooks:SigningSecret'", error.ToString());
    }

    [Fact]
    public void TheServerStartsWithoutASigningSecretWhenWebhooksAreDisabled()
    {
        using var factory = new ServerFactory(new Dictionary<string, string?> { ["Webhooks:SigningSecret"] = "", ["Webhooks:Enabled"] = "false", ["Workflow:Enabled"] = "false" });

        using var client = factory.CreateClient();

        Assert.NotNull(client);
    }
}
