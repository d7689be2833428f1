//! csharp rule tests.

use crate::scan::extract::tests::facts_of;

/// Not found on purpose: the commented-out read, the env name inside a plain
/// string, configuration keys that are not env-shaped ("ConnectionStrings:Db",
/// "Logging"), and `UseUrls("http://*:8080")`, whose port sits inside a URL.
#[test]
fn csharp_rules() {
    let source = r#"using System;
using Microsoft.AspNetCore.Builder;
using static System.Math;
using Pg = Npgsql.NpgsqlConnection;
global using Stripe;
var builder = WebApplication.CreateBuilder(args);
var a = Environment.GetEnvironmentVariable("A");
var b = System.Environment.GetEnvironmentVariable("B", EnvironmentVariableTarget.Process);
var c = builder.Configuration["C"];
var d = configuration["ConnectionStrings:Db"];
var e = Configuration["E_KEY"];
var f = _config.GetValue<string>("F");
var g = builder.Configuration.GetValue<int>("G", 3);
// var h = Environment.GetEnvironmentVariable("COMMENTED_OUT");
var i = "Environment.GetEnvironmentVariable(\"NOT_A_READ\")";
var j = configuration["Logging"];
builder.WebHost.ConfigureKestrel(o => o.ListenAnyIP(5001));
builder.WebHost.UseUrls("http://*:8080");
var app = builder.Build();
app.Run();
class Legacy {
    static IHostBuilder Create(string[] args) =>
        Host.CreateDefaultBuilder(args)
            .ConfigureWebHostDefaults(w => w.UseStartup<Startup>());
    void Kestrel(KestrelServerOptions options) {
        options.Listen(IPAddress.Any, 5002);
        options.ListenLocalhost(5003);
    }
}
"#;
    let facts = facts_of("Program.cs", source);
    let expected = [
        "1:csharp.import.using System",
        "2:csharp.import.using Microsoft.AspNetCore.Builder",
        "3:csharp.import.using System.Math",
        "4:csharp.import.using Npgsql.NpgsqlConnection",
        "5:csharp.import.using Stripe",
        "6:csharp.framework.aspnet aspnet",
        "7:csharp.env.get-environment-variable A",
        "8:csharp.env.get-environment-variable B",
        "9:csharp.config.configuration-index C",
        "9:csharp.env.configuration-index C",
        "10:csharp.config.configuration-index ConnectionStrings:Db",
        "11:csharp.config.configuration-index E_KEY",
        "11:csharp.env.configuration-index E_KEY",
        "12:csharp.config.configuration-get F",
        "12:csharp.env.configuration-get-value F",
        "13:csharp.config.configuration-get G",
        "13:csharp.env.configuration-get-value G",
        "16:csharp.config.configuration-index Logging",
        "17:csharp.listen.kestrel 5001",
        "18:csharp.literal.url http://*:8080",
        "24:csharp.framework.aspnet-webhost aspnet",
        "26:csharp.listen.kestrel 5002",
        "27:csharp.listen.kestrel 5003",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}
