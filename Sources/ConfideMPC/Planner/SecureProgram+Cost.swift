import ConfideCore

extension SecureProgram {
    /// The communication the program takes, known before any party starts: input sharing, every
    /// kernel the planner will call (by the visibility of each node's arguments, with `Call` and
    /// `Iterate` fan-out counted) and the output's delivery, from the kernels' declared
    /// ``ABY3Cost``. Bytes per party are what the parties will send; rounds add up kernel by
    /// kernel, an upper bound on the rounds any party waits for (a kernel that leaves a party out
    /// costs it no round). Saturates at `Int.max`.
    /// - Parameter injectionBits: the sort kernels' injection group size (as the parties use).
    /// - Throws: errors of nodes that would fail at run time on any data (a sort key of the wrong
    ///   form), naming the node; `.tooLarge` for calls nested more than 64 deep.
    public func estimatedCost(injectionBits: Int = ABY3Party.sortInjectionBits) throws -> KernelCost {
        var estimator = PlanCostEstimator(self, injectionBits: injectionBits)
        return try estimator.estimate().cost
    }
}
