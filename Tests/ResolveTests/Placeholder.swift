import Testing
@testable import Resolve
