namespace JustGold.Tests.Gateways;

/// <summary>Caddy (forward_auth) with deploy/caddy/Caddyfile, the real API and an echo upstream.</summary>
public sealed class CaddyGatewayTests(CaddyStack stack) : GatewayBehaviour(stack), IClassFixture<CaddyStack>;
