; obligation: kernel.layout.schedContext.wordsInsideObject
; statement: every schedContext field word lies inside the object: offset + 8 <= 2^7
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.schedContext.wordsInsideObject
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun schedContext () (_ BitVec 64))
(assert
 (bvule schedContext (_ bv281474976710655 64)))
(assert
 (= (bvand schedContext (_ bv127 64)) (_ bv0 64)))
(assert
 (let ((?x0 (bvadd schedContext (_ bv128 64))))
 (let (($x1 (and (bvule schedContext (bvadd schedContext (_ bv24 64))) (bvule (bvadd (bvadd schedContext (_ bv24 64)) (_ bv8 64)) ?x0))))
 (let (($x2 (and (and $x1 (bvule schedContext (bvadd schedContext (_ bv32 64)))) (bvule (bvadd (bvadd schedContext (_ bv32 64)) (_ bv8 64)) ?x0))))
 (let (($x3 (and (and $x2 (bvule schedContext (bvadd schedContext (_ bv64 64)))) (bvule (bvadd (bvadd schedContext (_ bv64 64)) (_ bv8 64)) ?x0))))
 (not $x3))))))
(check-sat)
