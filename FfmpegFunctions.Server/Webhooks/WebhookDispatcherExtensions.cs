namespace FfmpegFunctions.Server.Webhooks;

public static class WebhookDispatcherExtensions
{
    /// <summary>Delivers queued webhook events from this instance (idle when Webhooks:Enabled is false).
    /// The options, outbox and client come from AddRenderWorkflow (its steps enqueue).</summary>
    public static IHostApplicationBuilder AddWebhookDispatcher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
