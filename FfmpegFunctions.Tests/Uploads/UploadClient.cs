using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FfmpegFunctions.Tests.Uploads;

/// <summary>What a client does with the uploads API: ask for a URL, PUT the bytes with the headers it names, call the routes.</summary>
internal static class UploadClient
{
    public sealed record Target(Guid Id, string Key, string Url, string ContentType);

    public static async Task<Target> PresignAsync(HttpClient client, string fileName, string contentType, long? size = null)
    {
        using var response = await client.PostAsJsonAsync("/api/uploads", new { files = new[] { new { fileName, contentType, size } } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var upload = JsonDocument.Parse(body).RootElement.GetProperty("uploads")[0];
        return new Target(upload.GetProperty("uploadId").GetGuid(), upload.GetProperty("key").GetString()!, upload.GetProperty("url").GetString()!,
            upload.GetProperty("headers").GetProperty("Content-Type").GetString()!);
    }

    public static async Task PutAsync(Target target, byte[] bytes)
    {
        using var storage = new HttpClient();
        using var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", target.ContentType);
        using var put = await storage.PutAsync(target.Url, content);
        Assert.True(put.IsSuccessStatusCode, $"PUT answered {(int)put.StatusCode}");
    }

    public static async Task<Target> UploadAsync(HttpClient client, string fileName, string contentType, byte[] bytes, long? size = null)
    {
        var target = await PresignAsync(client, fileName, contentType, size ?? bytes.Length);
        await PutAsync(target, bytes);
        return target;
    }

    /// <summary>Sends a request and returns status and JSON body (null when empty); a 4xx must be problem+json.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement? Body)> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path));
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone());
    }
}
