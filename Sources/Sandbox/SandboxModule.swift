/// The `Sandbox` module; see docs/DESIGN.md for its place in the module graph.
public enum SandboxModule {}
