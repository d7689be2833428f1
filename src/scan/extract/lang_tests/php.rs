//! php rule tests.

use crate::scan::extract::tests::facts_of;

/// Not found on purpose: a read whose name is built at run time, the
/// commented-out read, an env-shaped string that is no read, and `config()`
/// (a configuration key, not a variable).
#[test]
fn php_rules() {
    let source = r#"<?php
$a = getenv('A');
$b = \getenv("B");
$c = env('C');
$d = env('D', 'fallback');
$e = getenv('E') ?: 'fallback';
$f = $_ENV['F'];
$g = $_SERVER["G"] ?? 'fallback';
$h = getenv($name);
// $i = getenv('COMMENTED_OUT');
$j = 'getenv("NOT_A_READ")';
$k = config('app.url');
$app = Application::configure(basePath: dirname(__DIR__))->create();
$app = AppFactory::create();
class Kernel extends BaseKernel {}
$client = new Client(['base_uri' => 'http://quote:8090']);
$other = new Client(['base_uri' => env('PAYMENTS_URL')]);
$r = Http::post('https://api.example.com/v1');
$redis = "redis://cache:6379";
"#;
    let facts = facts_of("app.php", source);
    let expected = [
        "2:php.env.call A",
        "3:php.env.call B",
        "4:php.env.call C",
        "5:php.env.call D?fallback",
        "6:php.env.call E?fallback",
        "7:php.env.superglobal F",
        "8:php.env.superglobal G?fallback",
        "13:php.framework.laravel laravel",
        "14:php.framework.slim slim",
        "15:php.framework.symfony symfony",
        "16:php.http.guzzle-base-uri http://quote:8090",
        "16:php.literal.url http://quote:8090",
        "17:php.env.call PAYMENTS_URL",
        "17:php.http.guzzle-base-uri PAYMENTS_URL",
        "18:php.http.laravel-http https://api.example.com/v1",
        "18:php.literal.url https://api.example.com/v1",
        "19:php.literal.url redis://cache:6379",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}

/// Laravel's `artisan` has no extension: it is PHP by its name.
#[test]
fn artisan_is_php() {
    let facts = facts_of("artisan", "#!/usr/bin/env php\n<?php\n$x = env('APP_ENV');\n");
    assert_eq!(facts, ["3:php.env.call APP_ENV"]);
}
