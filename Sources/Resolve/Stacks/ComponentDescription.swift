import Core
public import YAML

extension ResolvedComponent {
    /// The `describe component` document: Atmos's keys, sorted like Atmos prints them.
    public func describe(config: AtmosConfig) -> Node {
        var out = sections
        out["atmos_component"] = .string(name)
        out["atmos_stack"] = .string(stack)
        out["atmos_stack_file"] = .string(Path.relative(stackFile, to: config.stacksBasePath))
        out["component"] = .string(componentPath)
        out["component_type"] = .string(type)
        out["stack"] = .string(stack)
        out["inheritance"] = .sequence(inheritance.map { .string($0) })
        out["imports"] = .sequence(
            imports.dropLast().map { .string(ManifestProcessor.stripManifestExtension(Path.relative($0, to: config.stacksBasePath))) })
        out["component_path"] = .string(Path.relative(componentDirectory(config: config), to: config.workingDirectory))
        if type == "terraform" { out["workspace"] = .string(workspace) }
        return Redaction.sortedKeys(out)
    }

    /// The working directory of the component's tool: `<components.<type>.base_path>/<component path>`.
    public func componentDirectory(config: AtmosConfig) -> String {
        Path.join(config.componentBasePath(for: type), componentPath)
    }

    /// Terraform workspace: `metadata.terraform_workspace`, else the stack name, else `<stack>-<instance>` when the
    /// instance reuses another component's code.
    public var workspace: String {
        if let explicit = metadata["terraform_workspace"]?.scalarText, !explicit.isEmpty { return explicit }
        if componentPath == name { return stack }
        return "\(stack)-\(name.replacingSlashes())"
    }
}

extension String {
    fileprivate func replacingSlashes() -> String {
        String(map { $0 == "/" ? "-" : $0 })
    }
}
