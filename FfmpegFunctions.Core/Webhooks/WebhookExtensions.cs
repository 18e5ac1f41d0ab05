using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FfmpegFunctions.Core.Webhooks;

public static class WebhookExtensions
{
    /// <summary>The HttpClient name deliveries go through (SSRF-checked connects, no redirects, no proxy).</summary>
    public const string ClientName = "webhooks";

    /// <summary>Options, the SSRF guard, the outbox and the delivery client; the Server adds the dispatcher.</summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>()
            .BindConfiguration("Webhooks")
            .ValidateDataAnnotations()
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.SigningSecret),
                "The setting 'Webhooks:SigningSecret' is required when 'Webhooks:Enabled' is true (set it, or disable webhooks).")
            .Validate(o => !o.Enabled || o.SigningSecret is null || o.SigningSecret.Length >= 16,
                "The setting 'Webhooks:SigningSecret' must be at least 16 characters.")
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookTargetGuard>();
        builder.Services.AddSingleton<WebhookDeliveryStore>();
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHttpClient(ClientName, (sp, client) =>
            {
                client.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("FfmpegFunctions-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<WebhookTargetGuard>().ConnectAsync,
                // A redirect or a proxy would connect somewhere the guard did not check.
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        return builder;
    }
}
