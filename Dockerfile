# syntax=docker/dockerfile:1
# Portal container image: build with the .NET SDK, run on the ASP.NET Core runtime image as a non-root user.
#   docker build -t portal:latest .
#   docker run -v ./config:/config -v portal-data:/data -p 9091:9091 portal:latest
# (Not built in this repository's CI: no Docker engine there. See deploy/compose.yml for a full stack.)

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is cached across source edits.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Portal/Portal.csproj src/Portal/
RUN dotnet restore src/Portal/Portal.csproj
COPY src/ src/
RUN dotnet publish src/Portal/Portal.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# /config: configuration.yml and users_database.yml (read-only is fine); /data: SQLite database and key.
RUN mkdir -p /config /data && chown "$APP_UID" /data
ENV PORTAL_CONFIG=/config/configuration.yml \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
VOLUME ["/data"]
EXPOSE 9091
# The image's built-in unprivileged user ("app", uid 1654); the portal needs no privileges (port 9091).
USER $APP_UID
# No curl or wget in the runtime image: the portal checks itself (GET /api/health at server.address).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/app/portal", "healthcheck"]
ENTRYPOINT ["/app/portal"]
CMD ["serve"]
