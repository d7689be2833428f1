//! Prints a file's tree-sitter syntax tree, for writing rules under grammars/:
//! `cargo run --example syntax_tree -- FILE`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: syntax_tree FILE")?;
    let Some(pruv::scan::lang::Detected::Parsed(language)) = pruv::scan::lang::detect(&path) else {
        return Err(format!("{path}: not a language pruv parses").into());
    };
    let source = std::fs::read_to_string(&path)?;
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&(language.grammar)())?;
    let tree = parser.parse(&source, None).ok_or("parse failed")?;
    print_node(tree.root_node(), &source, 0, None);
    Ok(())
}

fn print_node(node: tree_sitter::Node<'_>, source: &str, depth: usize, field: Option<&str>) {
    let label = field.map(|f| format!("{f}: ")).unwrap_or_default();
    let text = if node.child_count() == 0 { format!(" {:?}", &source[node.byte_range()]) } else { String::new() };
    println!("{}{label}{}{text}", "  ".repeat(depth), node.kind());
    let mut cursor = node.walk();
    for (i, child) in node.children(&mut cursor).enumerate() {
        if child.is_named() {
            print_node(child, source, depth + 1, node.field_name_for_child(i as u32));
        }
    }
}
