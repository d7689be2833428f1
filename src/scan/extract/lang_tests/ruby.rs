//! ruby rule tests.

use crate::scan::extract::tests::facts_of;

/// Not found on purpose: `require_relative`, the commented-out read, the env
/// name inside a plain string, and an interpolated name (`ENV["I_#{suffix}"]`).
#[test]
fn ruby_rules() {
    let source = r#"require "stripe"
require 'sinatra'
require_relative "lib/helpers"
a = ENV["A"]
b = ENV.fetch("B")
c = ENV.fetch("C", "default")
d = ENV.fetch("D") { "default" }
e = ENV.key?("E")
f = ::ENV['F']
# g = ENV["COMMENTED_OUT"]
h = "ENV['NOT_A_READ']"
i = ENV["I_#{suffix}"]
module Shop
  class Application < Rails::Application
  end
end
class Api < Sinatra::Base
  set :port, 4567
end
class HardWorker
  include Sidekiq::Worker
end
class NewJob
  include Sidekiq::Job
end
port ENV.fetch("PORT") { 3000 }
port 4000
port ENV.fetch("ALT_PORT")
"#;
    let facts = facts_of("app.rb", source);
    let expected = [
        "1:ruby.import.require stripe",
        "2:ruby.framework.sinatra sinatra",
        "2:ruby.import.require sinatra",
        "4:ruby.env.index A",
        "5:ruby.env.fetch B",
        "6:ruby.env.fetch C?default",
        "7:ruby.env.fetch D?",
        "8:ruby.env.fetch E",
        "9:ruby.env.index F",
        "14:ruby.framework.rails rails",
        "17:ruby.framework.sinatra sinatra",
        "18:ruby.listen.sinatra-set-port 4567",
        "21:ruby.framework.sidekiq-worker sidekiq",
        "24:ruby.framework.sidekiq-worker sidekiq",
        "26:ruby.env.fetch PORT?",
        "26:ruby.listen.puma-port 3000",
        "27:ruby.listen.puma-port 4000",
        "28:ruby.env.fetch ALT_PORT",
        "28:ruby.listen.puma-port ALT_PORT",
    ];
    assert_eq!(facts, expected, "\n{}", facts.join("\n"));
}

#[test]
fn rails_settings_name_what_rails_loads() {
    let source = "Rails.application.configure do\n  config.action_mailer.delivery_method = :smtp\n  config.cache_store = :redis_cache_store, { url: ENV[\"REDIS_URL\"] }\n  config.active_job.queue_adapter = :sidekiq\n  config.cache_store = :memory_store\n  config.log_level = :info\nend\n";
    let facts: Vec<String> = facts_of("production.rb", source).into_iter().filter(|f| f.contains(".import.")).collect();
    assert_eq!(
        facts,
        [
            "2:ruby.import.rails-mailer mail/network/delivery_methods/smtp",
            "3:ruby.import.rails-cache-store active_support/cache/redis_cache_store",
            "4:ruby.import.rails-queue-adapter active_job/queue_adapters/sidekiq_adapter",
            "5:ruby.import.rails-cache-store active_support/cache/memory_store",
        ],
        "\n{}",
        facts.join("\n")
    );
}
