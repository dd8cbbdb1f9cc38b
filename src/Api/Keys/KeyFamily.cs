namespace JustGold.Api.Keys;

/// <summary>The kinds of public key a partner may upload; each verifies its own algorithms.</summary>
internal enum KeyFamily
{
    Rsa,
    EcP256,
    EcP384,
}
