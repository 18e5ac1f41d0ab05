using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using FfmpegFunctions.Server.Realtime;
using FfmpegFunctions.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FfmpegFunctions.Tests.Tenancy;

/// <summary>JWT bearer users beside API keys: tokens signed here with a test key, never by a real identity provider.</summary>
public sealed class JwtTests
{
    private const string Issuer = "https://idp.test.invalid/";
    private const string Audience = "ffmpegfunctions-tests";
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    private static Dictionary<string, string?> Settings => new()
    {
        ["Auth:Jwt:Issuer"] = Issuer,
        ["Auth:Jwt:Audience"] = Audience,
        ["Auth:Jwt:SigningKeys:0"] = Convert.ToBase64String(Secret),
    };

    private static string Token(string? tenant = "acme", string? role = "editor", string audience = Audience, byte[]? secret = null,
        DateTime? expires = null, string subject = "alice")
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject };
        if (tenant is not null) claims["tenant"] = tenant;
        if (role is not null) claims["role"] = role;
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = (expires ?? now.AddMinutes(5)).AddMinutes(-10),
            NotBefore = (expires ?? now.AddMinutes(5)).AddMinutes(-10),
            Expires = expires ?? now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(secret ?? Secret), SecurityAlgorithms.HmacSha256),
        });
    }

    private static HttpClient Client(ServerFactory api, string token)
    {
        var client = api.CreateClientWithKey(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task ATokensTenantAndRoleClaimsDecideWhatItSeesAndMayDo()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false, extra: Settings);
        using var editor = Client(api, Token());
        using var viewer = Client(api, Token(role: "viewer", subject: "bob"));
        using var otherTenant = Client(api, Token(tenant: "globex"));

        var id = await PipelineHost.CreateAsync(editor, Specs.Simple($"inputs/t/acme/{Guid.NewGuid()}/a.mp4"));
        using var viewerRead = await viewer.GetAsync($"/api/compositions/{id}");
        using var viewerCancel = await viewer.PostAsync($"/api/compositions/{id}/cancel", null);
        using var foreignRead = await otherTenant.GetAsync($"/api/compositions/{id}");

        Assert.Equal(HttpStatusCode.OK, viewerRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerCancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignRead.StatusCode);
    }

    [Fact]
    public async Task ExpiredForeignAudienceWronglySignedOrTenantlessTokensAreRefused()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false, extra: Settings);

        foreach (var token in new[]
        {
            Token(expires: DateTime.UtcNow.AddMinutes(-5)),
            Token(audience: "someone-else"),
            Token(secret: RandomNumberGenerator.GetBytes(32)),
            Token(tenant: null),
            Token(role: "owner"),
        })
        {
            using var client = Client(api, token);
            using var response = await client.GetAsync("/api/compositions");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        // API keys still work beside tokens.
        using var keyed = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/api/compositions")).StatusCode);
    }

    [Fact]
    public async Task AHubClientConnectsWithATokenAsAccessToken()
    {
        await using var host = await PipelineHost.CreateAsync();
        var api = host.Start(engine: false, extra: Settings);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(api.Server.BaseAddress, CompositionsHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => api.Server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(Token(role: "viewer"));
                o.Transports = HttpTransportType.LongPolling;
            })
            .Build();

        await hub.StartAsync();

        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.Null(await hub.InvokeAsync<System.Text.Json.JsonElement?>("Subscribe", Guid.NewGuid()));
    }
}
