using System.Net.Http.Json;
using System.Text.Json;
using FfmpegFunctions.Tests.Support;

namespace FfmpegFunctions.Tests.Security;

/// <summary>Creates and revokes keys through the admin API, as an operator would.</summary>
public static class AdminKeys
{
    public static async Task<string> CreateAsync(ServerFactory instance, string name, string? tenant = null, string? role = null)
    {
        using var admin = instance.CreateClientWithKey(TestKeys.Internal);
        using var response = await admin.PostAsJsonAsync("/admin/api-keys", new { name, tenant, role });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, $"creating key {name} answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("key").GetString()!;
    }

    public static async Task RevokeAsync(ServerFactory instance, string name)
    {
        using var admin = instance.CreateClientWithKey(TestKeys.Internal);
        using var response = await admin.DeleteAsync($"/admin/api-keys/{name}");
        Assert.Equal(204, (int)response.StatusCode);
    }
}
