/// The expressions and statements of the emitted C++ subset: what the simulator needs to follow
/// loops, calls, stream accesses and the values that decide trip counts.
indirect enum CExpr: Sendable {
    case num(Int)
    case name(String)
    case unary(String, CExpr)
    case binary(String, CExpr, CExpr)
    case ternary(CExpr, CExpr, CExpr)
    /// `f<targs>(args)`.
    case call(String, [CExpr], [CExpr])
    /// `x.f(args)` (stream read and write).
    case method(CExpr, String, [CExpr])
    case member(CExpr, String)
    case index(CExpr, CExpr)
    case list([CExpr])
    case opaque
}

struct CDeclarator: Sendable {
    var name: String
    var dims: [CExpr]
    var initial: CExpr?
}

struct CForLoop: Sendable {
    var variable: String
    var start: CExpr
    var relation: String
    var bound: CExpr
    var step: CExpr
    var body: [CStmt]
    var at: CppToken
}

indirect enum CStmt: Sendable {
    case block([CStmt])
    case pragma(String, CppToken)
    /// A declaration: the type's words and the declarators.
    case decl([String], [CDeclarator], CppToken)
    case expr(CExpr, CppToken)
    case forLoop(CForLoop)
    case ifStmt(CExpr, CStmt, CStmt?)
    case switchStmt(CExpr, [(label: CExpr?, body: [CStmt])])
    case breakStmt, continueStmt
    case returnStmt
    /// `INTARSIA_PROCESS(call);`: one process of a DATAFLOW region.
    case process(CExpr, CppToken)
}

/// A function definition of the project's sources.
struct CFunction: Sendable {
    enum ParameterKind: Sendable { case stream, pointer, scalar }
    var name: String
    var templateParameters: [String]
    var parameters: [(name: String, kind: ParameterKind, type: [String])]
    var body: [CStmt]
    var at: CppToken
}
