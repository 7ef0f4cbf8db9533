public import Core
public import YAML

extension StackCatalog {
    /// Sections merged from the stack's top level and its type-level block before the component's own layers.
    static let globalSections = ["vars", "env", "settings", "hooks", "auth"]
    /// Type-level-only sections (`terraform.backend`, …).
    static let typeSections = [
        "backend", "backend_type", "remote_state_backend", "remote_state_backend_type", "providers", "command",
    ]

    /// Resolves `component` in stack `stack`. Without `type`, types are tried in Atmos order (terraform, helmfile,
    /// packer, ansible, then custom types); unknown names get a "did you mean" hint.
    public func component(_ component: String, stack: String, type: String? = nil) throws(CloakError) -> ResolvedComponent {
        let entry = try entry(named: stack)
        let manifest = try self.manifest(entry)
        let components = manifest.document["components"]
        let types = type.map { [$0] } ?? (ComponentType.builtIn + (components?.keys ?? []).filter { !ComponentType.builtIn.contains($0) })
        for t in types where components?[t]?[component] != nil {
            return try resolve(component, type: t, entry: entry, manifest: manifest)
        }
        var known: [String] = []
        for t in types { known += components?[t]?.keys ?? [] }
        let typeText = type.map { " of type \($0)" } ?? ""
        throw CloakError(
            .notFound,
            "invalid component: could not find the component \"\(component)\"\(typeText) in the stack \"\(stack)\"\(Suggestion.hint(for: component, in: known))")
    }

    /// Every component instance of a stack, as `(type, name)` pairs sorted by type then name.
    public func componentNames(stack: String) throws(CloakError) -> [(type: String, name: String)] {
        let manifest = try self.manifest(try entry(named: stack))
        var out: [(String, String)] = []
        for pair in manifest.document["components"]?.pairs ?? [] {
            guard let type = pair.key.scalarText else { continue }
            for name in pair.value.keys.sorted() { out.append((type, name)) }
        }
        return out
    }

    /// The stack's top-level `secrets:` block, scope-stamped (declarations shared by every component).
    public func stackSecrets(stack: String) throws(CloakError) -> Node {
        let manifest = try self.manifest(try entry(named: stack))
        return try SecretScopeStamp.stamp(manifest.document["secrets"], position: "stack") ?? .mapping([])
    }

    /// Resolves every component of every stack.
    public func allComponents() throws(CloakError) -> [ResolvedComponent] {
        var out: [ResolvedComponent] = []
        for entry in try entries() {
            let manifest = try self.manifest(entry)
            for pair in manifest.document["components"]?.pairs ?? [] {
                guard let type = pair.key.scalarText else { continue }
                for name in pair.value.keys.sorted() {
                    out.append(try resolve(name, type: type, entry: entry, manifest: manifest))
                }
            }
        }
        return out
    }

    func resolve(_ name: String, type: String, entry: StackEntry, manifest: ProcessedManifest) throws(CloakError) -> ResolvedComponent {
        let doc = manifest.document
        try Self.validateSecretScopes(doc)
        let all = doc["components"]?[type] ?? .mapping([])
        guard let own = all[name] else {
            throw CloakError(.notFound, "component \"\(name)\" is not defined in stack \"\(entry.name)\"")
        }
        guard own.isMapping || own.isNull else {
            throw CloakError(.config, "component \"\(name)\" must be a mapping of sections", at: own.location)
        }
        let ownNode = own.isNull ? Node.mapping([], location: own.location) : own
        let bases = try baseChain(of: name, in: all, stack: entry.name)
        let baseNodes = bases.compactMap { all[$0] }.filter { $0.isMapping }
        let overrideLayers = manifest.overrides[type]?[name] ?? []
        let typeBlock = doc[type]

        // The list strategy comes from the merged settings (so a base's strategy is inherited).
        let settingsLayers = [doc["settings"], typeBlock?["settings"]] + baseNodes.map { $0["settings"] }
            + [ownNode["settings"]] + overrideLayers.map { $0["settings"] }
        var lists = config.listMergeStrategy
        if let merged = DeepMerge.merge(settingsLayers), let s = merged["list_merge_strategy"], !s.isNull {
            lists = try ListMergeStrategy(node: s)
        }

        var sectionNames: [String] = []
        func note(_ key: String) { if !sectionNames.contains(key) { sectionNames.append(key) } }
        for key in StackCatalog.globalSections where doc[key] != nil || typeBlock?[key] != nil { note(key) }
        for key in StackCatalog.typeSections where typeBlock?[key] != nil { note(key) }
        for layer in baseNodes + [ownNode] + overrideLayers {
            for key in layer.keys where key != "metadata" && key != "component" && key != "secrets" { note(key) }
        }

        var sections = Node.mapping([], location: ownNode.location)
        for key in sectionNames {
            var layers: [Node?] = []
            if StackCatalog.globalSections.contains(key) { layers.append(doc[key]) }
            if StackCatalog.globalSections.contains(key) || StackCatalog.typeSections.contains(key) { layers.append(typeBlock?[key]) }
            layers += baseNodes.map { $0[key] }
            layers.append(ownNode[key])
            layers += overrideLayers.map { $0[key] }
            if let merged = DeepMerge.merge(layers, lists: lists) { sections[key] = merged }
        }

        var secretLayers: [Node?] = [try SecretScopeStamp.stamp(doc["secrets"], position: "stack")]
        for node in baseNodes + [ownNode] + overrideLayers {
            secretLayers.append(try SecretScopeStamp.stamp(node["secrets"], position: "instance"))
        }
        if let secrets = DeepMerge.merge(secretLayers, lists: lists) { sections["secrets"] = secrets }

        var metadataLayers: [Node?] = []
        if config.inheritMetadata {
            for base in baseNodes {
                guard var m = base["metadata"], m.isMapping else { continue }
                m["inherits"] = nil
                m["type"] = nil
                metadataLayers.append(m)
            }
        }
        metadataLayers.append(ownNode["metadata"])
        let metadata = DeepMerge.merge(metadataLayers) ?? .mapping([])
        sections["metadata"] = metadata

        let path = ownNode["metadata"]?["component"]?.scalarText
            ?? ownNode["component"]?.scalarText
            ?? metadata["component"]?.scalarText
            ?? name
        return ResolvedComponent(
            stack: entry.name, stackFile: entry.file, type: type, name: name, componentPath: path, inheritance: bases,
            imports: manifest.files, sections: sections,
            isAbstract: ownNode["metadata"]?["type"]?.scalarText == "abstract")
    }

    /// Every declaration in the stack must sit at a position its scope allows, so one bad declaration fails every
    /// component of the stack (as Atmos's stack processing does), not only its own.
    static func validateSecretScopes(_ doc: Node) throws(CloakError) {
        _ = try SecretScopeStamp.stamp(doc["secrets"], position: "stack")
        for typePair in doc["components"]?.pairs ?? [] {
            for component in typePair.value.pairs ?? [] {
                _ = try SecretScopeStamp.stamp(component.value["secrets"], position: "instance")
            }
        }
    }

    /// Base components in merge order: each base's own bases first, depth-first, without repeats. A legacy
    /// top-level `component:` naming another instance counts as the first base.
    private func baseChain(of name: String, in all: Node, stack: String) throws(CloakError) -> [String] {
        var order: [String] = []
        var visiting: [String] = []
        func visit(_ current: String, from location: SourceLocation?) throws(CloakError) {
            if visiting.contains(current) {
                throw CloakError(
                    .config, "inheritance cycle: \((visiting + [current]).joined(separator: " -> ")) in stack \"\(stack)\"",
                    at: location)
            }
            guard let node = all[current] else {
                throw CloakError(
                    .config,
                    "component \"\(visiting.last ?? name)\" inherits from \"\(current)\", which is not defined in stack \"\(stack)\"\(Suggestion.hint(for: current, in: all.keys))",
                    at: location)
            }
            visiting.append(current)
            defer { visiting.removeLast() }
            for (base, at) in directBases(of: node, in: all, name: current) {
                try visit(base, from: at)
                if !order.contains(base) { order.append(base) }
            }
        }
        try visit(name, from: all[name]?.location)
        return order
    }

    private func directBases(of node: Node, in all: Node, name: String) -> [(String, SourceLocation?)] {
        var out: [(String, SourceLocation?)] = []
        if let legacy = node["component"], let target = legacy.scalarText, target != name, all[target] != nil {
            out.append((target, legacy.location))
        }
        if let inherits = node["metadata"]?["inherits"] {
            for item in inherits.items ?? [inherits] {
                if let base = item.scalarText, !item.isNull { out.append((base, item.location)) }
            }
        }
        return out
    }
}
