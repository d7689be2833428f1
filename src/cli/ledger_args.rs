//! Arguments of `pruv ledger`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Open a ledger (chain `ledger/NAME`); its rules are fixed in entry 0.
    New {
        name: String,
        /// A currency the ledger holds (ISO 4217 code); repeat for several, each conserved on its own.
        #[arg(long = "currency", value_name = "CODE", default_value = "USD")]
        currencies: Vec<String>,
        /// An account allowed to go below zero (a bank or clearing account); repeatable.
        #[arg(long = "allow-overdraft", value_name = "ACCOUNT")]
        overdraft: Vec<String>,
        /// Approval controls from this file's [ledger] table (default: pruv.toml here, if it has one).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
    },
    /// Money in: AMOUNT into ACCOUNT from outside the ledger (--source: where it came from).
    Deposit(AccountArgs),
    /// Money out: AMOUNT out of ACCOUNT to outside the ledger (--source: where it went).
    Withdraw(AccountArgs),
    /// Move AMOUNT from one account to another; conserves the total.
    Transfer {
        ledger: String,
        from: String,
        to: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
        #[command(flatten)]
        common: PaymentArgs,
        #[arg(long)]
        memo: Option<String>,
        /// Approve it with this approver's secret key file (repeatable); above the
        /// ledger's threshold a transfer counts once enough approvers signed it.
        #[arg(long = "sign", value_name = "KEYFILE")]
        approvers: Vec<PathBuf>,
    },
    /// Approve the pending transfer at entry INDEX with an approver's key.
    Sign {
        ledger: String,
        index: u64,
        #[arg(long, value_name = "KEYFILE")]
        key: PathBuf,
    },
    /// Every account's balances (now, or as of an entry or a time).
    Balances {
        ledger: String,
        /// As of this entry index, or this RFC 3339 time.
        #[arg(long, value_name = "INDEX|TIME")]
        at: Option<String>,
    },
    /// The operations, oldest first (only ACCOUNT's, when given).
    History { ledger: String, account: Option<String> },
    /// Verify the chain and that the books balance at every entry.
    Verify { ledger: String },
    /// A payment receipt for entry INDEX (default: the last operation).
    Receipt {
        ledger: String,
        index: Option<u64>,
        /// Sign the receipt with this secret key file.
        #[arg(long, value_name = "KEYFILE")]
        sign: Option<PathBuf>,
        /// Write to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Record the transfers of a CSV file (date,from,to,amount,currency,reference);
    /// an empty `from` is a deposit, an empty `to` a withdrawal. All or nothing.
    Import { ledger: String, file: PathBuf },
}

#[derive(Debug, Args)]
pub struct PaymentArgs {
    /// The currency (default: the ledger's only one).
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    #[arg(long)]
    pub reference: Option<String>,
}

/// A deposit's or withdrawal's arguments: one account and the outside world.
#[derive(Debug, Args)]
pub struct AccountArgs {
    pub ledger: String,
    pub account: String,
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    #[command(flatten)]
    pub common: PaymentArgs,
    /// Where the money came from or went (a bank, a card processor).
    #[arg(long)]
    pub source: Option<String>,
}
