using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace JustGold.LoadTest;

/// <summary>One load-test partner: its id, its private signing key and the public half it registers.</summary>
internal sealed record PartnerKey(string PartnerId, AsymmetricSecurityKey PrivateKey, string PublicPem, string Kid);

internal static class PartnerKeys
{
    /// <summary>
    /// Loads <c>&lt;id&gt;.key.pem</c> (PKCS#8) for every partner from the keys folder, creating missing ones
    /// (RSA 2048 or EC P-256), and (re)writes <c>&lt;id&gt;.pem</c> (SPKI) next to it.
    /// </summary>
    public static PartnerKey[] LoadOrCreate(Options options, out int created)
    {
        Directory.CreateDirectory(options.KeysDir);
        var keyType = options.IsRsa ? "rsa" : "ec";
        var keys = new PartnerKey[options.Partners];
        var made = 0;
        Parallel.For(0, options.Partners, i =>
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{options.PartnerPrefix}{keyType}-{i}");
            var privatePath = Path.Combine(options.KeysDir, id + ".key.pem");
            var publicPath = Path.Combine(options.KeysDir, id + ".pem");
            AsymmetricAlgorithm algorithm = options.IsRsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
            if (File.Exists(privatePath))
            {
                try
                {
                    algorithm.ImportFromPem(File.ReadAllText(privatePath));
                }
                catch (CryptographicException e)
                {
                    throw new InvalidOperationException($"{privatePath} is not a usable {keyType.ToUpperInvariant()} private key: {e.Message}", e);
                }
            }
            else
            {
                WritePrivate(privatePath, algorithm.ExportPkcs8PrivateKeyPem());
                Interlocked.Increment(ref made);
            }

            var publicPem = algorithm.ExportSubjectPublicKeyInfoPem() + "\n";
            if (!File.Exists(publicPath) || File.ReadAllText(publicPath) != publicPem)
            {
                File.WriteAllText(publicPath, publicPem);
            }

            AsymmetricSecurityKey publicKey = algorithm is RSA rsa
                ? new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false))
                : new ECDsaSecurityKey((ECDsa)algorithm);
            var kid = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(publicKey).ComputeJwkThumbprint());
            AsymmetricSecurityKey privateKey = algorithm is RSA r ? new RsaSecurityKey(r) : new ECDsaSecurityKey((ECDsa)algorithm);
            keys[i] = new PartnerKey(id, privateKey, publicPem, kid);
        });
        created = made;
        return keys;
    }

    /// <summary>
    /// Creates each partner (<c>PUT /admin/partners/{id}</c>) and uploads its public key
    /// (<c>POST /admin/partners/{id}/keys</c>). Returns the keys with the kid the server reported,
    /// plus a list of problems (any answer other than 200/201, or a kid that is not the RFC 7638 thumbprint).
    /// </summary>
    public static async Task<(PartnerKey[] Keys, List<string> Problems)> RegisterAsync(
        HttpClient client, Uri baseUrl, string adminKey, PartnerKey[] keys, CancellationToken ct)
    {
        var problems = new List<string>();
        var result = new PartnerKey[keys.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Length), parallel, async (i, token) =>
        {
            var key = keys[i];
            var partnerUri = new Uri(baseUrl, "/admin/partners/" + Uri.EscapeDataString(key.PartnerId));

            using (var put = new HttpRequestMessage(HttpMethod.Put, partnerUri))
            {
                put.Headers.Add("X-Admin-Key", adminKey);
                put.Content = new StringContent(
                    JsonSerializer.Serialize(new { name = "Load test partner " + key.PartnerId }), Encoding.UTF8, "application/json");
                using var answer = await client.SendAsync(put, token);
                if (answer.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
                {
                    throw new InvalidOperationException(
                        $"PUT {partnerUri.AbsolutePath} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(token)}");
                }
            }

            using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(partnerUri + "/keys"));
            post.Headers.Add("X-Admin-Key", adminKey);
            post.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(key.PublicPem));
            post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-pem-file");
            using var uploaded = await client.SendAsync(post, token);
            var body = await uploaded.Content.ReadAsStringAsync(token);
            if (uploaded.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            {
                throw new InvalidOperationException($"POST {post.RequestUri!.AbsolutePath} answered {(int)uploaded.StatusCode}: {body}");
            }

            var serverKid = ReadKid(body);
            if (serverKid is null)
            {
                lock (problems)
                {
                    problems.Add($"{key.PartnerId}: key upload answer has no \"kid\": {body}");
                }
            }
            else if (serverKid != key.Kid)
            {
                lock (problems)
                {
                    problems.Add($"{key.PartnerId}: server kid {serverKid} is not the RFC 7638 thumbprint {key.Kid}; using the server's");
                }

                key = key with { Kid = serverKid };
            }

            result[i] = key;
        });
        return (result, problems);
    }

    private static string? ReadKid(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("kid", out var kid)
                && kid.ValueKind == JsonValueKind.String
                ? kid.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WritePrivate(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, Encoding.ASCII, options);
        writer.Write(pem);
        writer.Write('\n');
    }
}
