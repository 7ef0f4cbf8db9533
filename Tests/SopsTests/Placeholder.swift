import Testing
@testable import Sops
