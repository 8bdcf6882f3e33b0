using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Chengxin.Accounts;
using Chengxin.Audit;
using Chengxin.Catalog;
using Chengxin.Clients;
using Chengxin.Crypto;
using Chengxin.Data;
using Chengxin.Demo;
using Chengxin.Exchange;
using Chengxin.Imports;
using Chengxin.Operations;
using Chengxin.Organisations;
using Chengxin.Records;
using Chengxin.Reports;
using Chengxin.Subjects;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Scalar.AspNetCore;

namespace Chengxin.Hosting;

/// <summary>Builds the platform: services and pipeline, the same for `serve`, the admin verbs and the tests.</summary>
public static class PlatformHost
{
    public static readonly CultureInfo[] Cultures = [new("zh-CN"), new("en")];

    /// <summary>
    /// A relative <c>--contentRoot</c> taken from the folder the command is run in, as a shell user means it; the host
    /// would take it from the binary's folder instead.
    /// </summary>
    public static string[] WithAbsoluteContentRoot(string[] args)
    {
        var result = (string[])args.Clone();
        for (var i = 0; i < result.Length; i++)
        {
            if (result[i].Equals("--contentRoot", StringComparison.OrdinalIgnoreCase) && i + 1 < result.Length)
            {
                result[i + 1] = Path.GetFullPath(result[i + 1]);
            }
            else if (result[i].StartsWith("--contentRoot=", StringComparison.OrdinalIgnoreCase))
            {
                result[i] = "--contentRoot=" + Path.GetFullPath(result[i]["--contentRoot=".Length..]);
            }
        }
        return result;
    }

    /// <summary>Builds the app; <paramref name="configure"/> lets tests and verbs add configuration.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The portal's pages and styles belong to this assembly wherever it is started from (tests, tools, any folder).
        var binaryWebRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = WithAbsoluteContentRoot(args),
            ApplicationName = typeof(PlatformHost).Assembly.GetName().Name,
            WebRootPath = Directory.Exists(binaryWebRoot) ? binaryWebRoot : null,
        });
        if (builder.Environment.IsDevelopment())
        {
            DevelopmentKeys.EnsureFile(builder.Environment.ContentRootPath);
        }
        builder.Configuration.AddJsonFile(Path.Combine(builder.Environment.ContentRootPath, DevelopmentKeys.FileName), optional: true, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        configure?.Invoke(builder);

        var problems = new List<string>();
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        problems.AddRange(StartupChecks.Database(database));
        var keysSection = builder.Configuration.GetSection(KeysOptions.Section);
        var keys = keysSection.Get<KeysOptions>() ?? new KeysOptions();
        var keyProblems = keys.Problems().ToList();
        problems.AddRange(keyProblems);
        if (keyProblems.Count > 0 && !builder.Environment.IsDevelopment() && !keysSection.Exists())
        {
            // No keys configured at all; the commonest way to get here: running the built binary, which starts in Production, where dotnet run starts in Development.
            problems.Add($"Outside the Development environment the keys come from configuration only (README, Configuration; `chengxin keys generate` prints new ones). "
                + $"To try the platform on this machine, set ASPNETCORE_ENVIRONMENT=Development, as `dotnet run` does: development keys are then written to {Path.Combine(builder.Environment.ContentRootPath, DevelopmentKeys.FileName)}.");
        }
        if (problems.Count > 0)
        {
            throw new StartupException(problems);
        }
        AddServices(builder, database, keys);
        var app = builder.Build();
        UsePipeline(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder, DatabaseOptions database, KeysOptions keys)
    {
        var services = builder.Services;

        database.PlaceDefaultIn(builder.Environment.ContentRootPath);
        services.AddSingleton(database);
        // Pooled: a context per request without building one from scratch each time.
        services.AddDbContextPool<ChengxinDb>(database.Apply);
        services.AddDataProtection().SetApplicationName("chengxin").PersistKeysToDbContext<ChengxinDb>();
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<FieldCipher>((options, cipher) => options.XmlEncryptor = new Keys.SessionKeyEncryptor(cipher));

        var keyRing = keys.ToKeyRing();
        services.AddSingleton(keyRing);
        services.AddSingleton<FieldCipher>();
        services.AddSingleton<BlindIndex>();
        services.AddSingleton<Subjects.FirstReleaseIndexForms>();
        services.AddSingleton(TimeProvider.System);

        services.AddAudit(keys.ToCheckpointKeys(), builder.Configuration);
        services.AddCatalog();
        services.AddOrganisations();
        services.AddSubjects();
        services.AddRecords();
        services.AddExchange(builder.Configuration);
        services.AddImports(builder.Configuration);
        services.AddScoped<Dashboards.DashboardService>();
        services.AddReports(builder.Configuration);
        services.AddDemo();
        services.AddAccounts(builder.Configuration);
        services.AddClients(keys, builder.Configuration.GetValue("Tokens:RequireHttps", !builder.Environment.IsDevelopment()));
        services.AddOperations();
        services.AddRateLimits(builder.Configuration);

        // The API speaks the catalog's JSON: kebab-case enumeration values (EXCHANGE.md).
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            // Chinese as text, not \uXXXX escapes (HTML-sensitive characters stay escaped).
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Chinese text is written as text, not as numeric character references: smaller pages, readable source.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("zh-CN");
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            // The choice persists in a cookie; the browser's language does not override the zh-CN default.
            o.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        });
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Me", AccountPolicies.Subject);
            o.Conventions.AuthorizeFolder("/Provider", AccountPolicies.ProviderOperator);
            o.Conventions.AuthorizeFolder("/Office", AccountPolicies.CreditOffice);
            o.Conventions.AuthorizeFolder("/Audit", AccountPolicies.Auditor);
            o.Conventions.AuthorizeFolder("/Admin/Platform", AccountPolicies.SystemAdministrator);
            o.Conventions.AuthorizeFolder("/Admin/Security", AccountPolicies.SecurityAdministrator);
            o.Conventions.AuthorizeFolder("/Admin/AuditLog", AccountPolicies.AuditAdministrator);
            // The home page is the public site's front door; every other page names its policy (a test checks).
            o.Conventions.AllowAnonymousToPage("/Index");
        }).AddViewLocalization().AddDataAnnotationsLocalization(o =>
            o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Chengxin sharing and exchange API";
            document.Info.Version = "v1";
            document.Info.Description = "The provincial personal public credit information platform's API (EXCHANGE.md).";
            return Task.CompletedTask;
        }));
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseOperations();
        app.UseStaticFiles();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization, which authenticates API tokens too, so every signed-in caller is limited as itself, not by its address.
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Chengxin API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        app.MapOperations();
        app.MapCatalog();
        app.MapTokenEndpoint();
        app.MapRecords();
        app.MapFeed();
        app.MapReports();
        app.MapCultureSwitch();
        app.MapRazorPages();
    }

    /// <summary>
    /// Whether the migration history table is there. Npgsql's history repository says it always is (npgsql/efcore.pg#3407),
    /// reads it, and logs the failure on an empty database as an error, which reads like a broken start: PostgreSQL is asked
    /// itself, by the same search path.
    /// </summary>
    private static async Task<bool> HistoryExistsAsync(ChengxinDb db, Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository history, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? await db.Database.SqlQueryRaw<bool>("""SELECT to_regclass('"__EFMigrationsHistory"') IS NOT NULL AS "Value" """).SingleAsync(cancellationToken)
            : await history.ExistsAsync(cancellationToken);

    /// <summary>Applies migrations, loads the catalog, and the demo data when asked.</summary>
    public static async Task PrepareAsync(WebApplication app, bool demo, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChengxinDb>();
        // Only when something is pending: the application role may read the migration history but not lock or write it.
        var history = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>(db);
        // A database not created yet is left to the migrator, which creates it.
        var reachable = await db.Database.CanConnectAsync(cancellationToken);
        var fresh = !reachable || !await HistoryExistsAsync(db, history, cancellationToken);
        if (fresh || (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            if (fresh && reachable)
            {
                // With the table there first, the migrator's own read of it does not fail either.
                await history.CreateIfNotExistsAsync(cancellationToken);
            }
            await db.Database.MigrateAsync(cancellationToken);
        }
        await scope.ServiceProvider.GetRequiredService<CatalogLoader>().LoadEmbeddedAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<AccountSetup>().EnsureRolesAsync();
        if (demo)
        {
            await scope.ServiceProvider.GetRequiredService<DemoLoader>().LoadAsync(cancellationToken);
        }
    }
}
