// The Refinement module: proof obligations now; simulation relations and campaigns later.
