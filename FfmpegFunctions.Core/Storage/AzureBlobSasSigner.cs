using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace FfmpegFunctions.Core.Storage;

/// <summary>
/// Signs blob URLs. With an account key (connection string) the SDK signs locally. With a token credential there is
/// no key, so the SAS is signed with a user delegation key, which the service issues for at most 7 days: one is
/// cached and fetched again when it would not cover the URL asked for.
/// </summary>
internal sealed class AzureBlobSasSigner(BlobServiceClient service, TimeProvider clock)
{
    private static readonly TimeSpan MaxKeyLifetime = TimeSpan.FromDays(7);
    // Clocks differ between us and the service; a SAS valid from "now" can be rejected as not yet valid.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly Lock gate = new();
    private UserDelegationKey? delegationKey;

    public Uri Sign(BlobClient blob, BlobSasBuilder sas)
    {
        sas.BlobContainerName = blob.BlobContainerName;
        sas.BlobName = blob.Name;
        sas.Resource = "b";
        sas.StartsOn = clock.GetUtcNow() - ClockSkew;
        if (blob.CanGenerateSasUri) return blob.GenerateSasUri(sas);

        var key = DelegationKeyCovering(sas.ExpiresOn);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, service.AccountName) }.ToUri();
    }

    private UserDelegationKey DelegationKeyCovering(DateTimeOffset expiresOn)
    {
        lock (gate)
        {
            if (delegationKey is { } cached && cached.SignedExpiresOn >= expiresOn) return cached;
            var now = clock.GetUtcNow();
            if (expiresOn > now + MaxKeyLifetime)
                throw new ArgumentOutOfRangeException(nameof(expiresOn), "A user delegation SAS cannot outlive 7 days.");
            // Synchronous because presigning is synchronous in IObjectStore; it runs about once a week per process.
            delegationKey = service.GetUserDelegationKey(new BlobGetUserDelegationKeyOptions(now + MaxKeyLifetime) { StartsOn = now - ClockSkew }, CancellationToken.None).Value;
            return delegationKey;
        }
    }
}
