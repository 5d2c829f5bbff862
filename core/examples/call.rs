//! Runs a JSON call read from standard input and prints the response.
use std::io::Read;
fn main() {
    let mut s = String::new();
    if std::io::stdin().read_to_string(&mut s).is_ok() {
        println!("{}", jindu::call_json(&s));
    }
}
