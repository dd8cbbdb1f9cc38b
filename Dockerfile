# syntax=docker/dockerfile:1
# Images for the partner-auth cluster: `--target silo` and `--target api`.
#
# The .NET base images are named without their registry host: pass the registry that
# serves Microsoft's .NET images as DOTNET_REGISTRY (ending in "/"), e.g. through
# docker-compose's .env file. See docs/operations-cluster.md.
ARG DOTNET_REGISTRY=""

FROM ${DOTNET_REGISTRY}dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, so the package layer is reused while only code changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Grains/JustGold.Grains.csproj src/Grains/
COPY src/Silo/JustGold.Silo.csproj src/Silo/
COPY src/Api/JustGold.Api.csproj src/Api/
RUN dotnet restore src/Silo/JustGold.Silo.csproj && dotnet restore src/Api/JustGold.Api.csproj
COPY src/ src/
RUN dotnet publish src/Silo/JustGold.Silo.csproj -c Release --no-restore -o /out/silo \
 && dotnet publish src/Api/JustGold.Api.csproj -c Release --no-restore -o /out/api

FROM ${DOTNET_REGISTRY}dotnet/aspnet:10.0 AS runtime
WORKDIR /app
USER $APP_UID
# /readyz probe without curl (not in the aspnet image): HTTP/1.0 over bash's /dev/tcp.
COPY --chmod=755 <<'PROBE' /usr/local/bin/http-ok
#!/bin/bash
# http-ok PORT PATH: exit 0 when http://127.0.0.1:PORT/PATH answers 200.
exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3
IFS= read -r -t 5 status <&3 && [[ "$status" == *" 200 "* ]]
PROBE

FROM runtime AS silo
COPY --from=build /out/silo .
# Silo port, gateway port (clients), HTTP (/healthz /readyz /metrics); compose sets them per silo.
EXPOSE 11111 30000 8081
ENTRYPOINT ["dotnet", "JustGold.Silo.dll"]

FROM runtime AS api
COPY --from=build /out/api .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "JustGold.Api.dll"]
