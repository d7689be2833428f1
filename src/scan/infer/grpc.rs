//! gRPC by proto service: a client stub generated from a `.proto` service
//! reaches the unit that implements that service, whatever address (or
//! service mesh, or discovery) carries the call. The `.proto` files of the
//! tree say which services exist; the generated names the code uses say
//! who calls and who serves each.

use super::*;

/// The names protoc's plugins generate for service `S`, as code spells
/// them at the point of use: Go (`NewSClient`, `RegisterSServer`, the
/// gateway's `RegisterSHandlerFromEndpoint`), Python (`SStub`,
/// `add_SServicer_to_server`, `SServicer`), Java (`SGrpc`, `SImplBase`),
/// Kotlin (`SCoroutineStub`, `SCoroutineImplBase`), C# (`SClient`,
/// `SBase`), tonic (`SClient`, `SServer`), and `S` itself where the
/// language qualifies a fixed name (C++ `S::NewStub`, Ruby `S::Stub`,
/// Node's `S.service`).
const GENERATED: &[(&str, &str)] = &[
    ("", ""),
    ("New", "Client"),
    ("Register", "Server"),
    ("Register", "HandlerFromEndpoint"),
    ("", "Stub"),
    ("add_", "Servicer_to_server"),
    ("", "Servicer"),
    ("", "Grpc"),
    ("", "ImplBase"),
    ("", "CoroutineStub"),
    ("", "CoroutineImplBase"),
    ("", "Client"),
    ("", "Base"),
    ("", "Server"),
];

impl Builder {
    /// Connections from each unit using a service's client stub to the one
    /// unit that implements it. A service implemented by several units
    /// (a gateway re-serving it, a mock) leaves the choice to the address.
    pub(super) fn connect_proto_services(&mut self, files: &[Processed]) {
        // Each service name, with where it is first declared (services keep
        // a copy of a shared `.proto` beside their code).
        let mut declared: BTreeMap<String, Evidence> = BTreeMap::new();
        for file in files {
            let (Some(entry), Some((_, ConfigFacts::Proto(proto)))) = (&file.entry, &file.config) else { continue };
            for (service, line) in &proto.services {
                declared.entry(service.clone()).or_insert_with(|| evidence(&entry.path, *line, "proto.service"));
            }
        }
        if declared.is_empty() {
            return;
        }
        let mut service_of: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for service in declared.keys() {
            for (prefix, suffix) in GENERATED {
                service_of.entry(format!("{prefix}{service}{suffix}")).or_default().push(service);
            }
        }
        let mut implementers: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        let mut clients: Vec<(String, &str, Evidence)> = Vec::new();
        for file in files {
            let Some(entry) = &file.entry else { continue };
            let stubs: Vec<_> = file
                .code
                .iter()
                .filter_map(|fact| match &fact.kind {
                    FactKind::GrpcStub { symbol, serves } => Some((fact, symbol, *serves)),
                    _ => None,
                })
                .collect();
            if stubs.is_empty() {
                continue;
            }
            let owners = self.owners_of_file(file, &entry.path);
            for (fact, symbol, serves) in stubs {
                for service in service_of.get(symbol.as_str()).into_iter().flatten() {
                    for owner in &owners {
                        if serves {
                            implementers.entry(service).or_default().insert(owner.clone());
                        } else {
                            clients.push((owner.clone(), service, evidence(&entry.path, fact.line, fact.rule)));
                        }
                    }
                }
            }
        }
        for (from, service, here) in clients {
            let Some(serving) = implementers.get(service) else { continue };
            let others: Vec<&String> = serving.iter().filter(|unit| **unit != from).collect();
            if serving.contains(&from) || others.len() != 1 {
                continue;
            }
            let to = others[0].clone();
            self.add_connection(&from, &to, None, ConnectionKind::Grpc, here);
            self.add_connection(&from, &to, None, ConnectionKind::Grpc, declared[service].clone());
        }
    }
}
