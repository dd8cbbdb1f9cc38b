using JustGold.Grains.Partners;

namespace JustGold.Grains.Storage;

/// <summary>One accepted jti, by digest, kept until <see cref="ForgetAtUnixSeconds"/>.</summary>
internal readonly record struct ReplayRecord(string PartnerId, JtiDigest Jti, long ForgetAtUnixSeconds);
