namespace JustGold.Tests.Gateways;

/// <summary>nginx (auth_request) with deploy/nginx/justgold-gateway.conf, the real API and an echo upstream.</summary>
public sealed class NginxGatewayTests(NginxStack stack) : GatewayBehaviour(stack), IClassFixture<NginxStack>;
