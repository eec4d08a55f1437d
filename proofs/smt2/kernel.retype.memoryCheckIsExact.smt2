; obligation: kernel.retype.memoryCheckIsExact
; statement: retype refuses exactly the requests whose aligned placement would not fit (no alignment slack is needed)
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.retype.memoryCheckIsExact
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun blockBits () (_ BitVec 64))
(declare-fun base () (_ BitVec 64))
(declare-fun freeOffset () (_ BitVec 64))
(declare-fun objectBits () (_ BitVec 64))
(declare-fun count () (_ BitVec 64))
(assert
 (bvule blockBits (_ bv47 64)))
(assert
 (bvule base (_ bv281474976710655 64)))
(assert
 (let ((?x0 (ite (bvule (_ bv64 64) blockBits) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) blockBits) (_ bv1 64)))))
 (= (bvand base ?x0) (_ bv0 64))))
(assert
 (let ((?x1 (bvshl (_ bv1 64) blockBits)))
 (bvule freeOffset ?x1)))
(assert
 (bvule objectBits (_ bv47 64)))
(assert
 (and (bvule (_ bv1 64) count) (bvule count (_ bv256 64))))
(assert
 (bvule objectBits blockBits))
(assert
 (let ((?x2 (ite (bvule (_ bv64 64) objectBits) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) objectBits) (_ bv1 64)))))
 (let ((?x3 (bvadd (bvand (bvadd (bvadd base freeOffset) ?x2) (bvnot ?x2)) (bvshl count objectBits))))
 (let (($x4 (bvule ?x3 (bvadd base (bvshl (_ bv1 64) blockBits)))))
 (let (($x5 (bvule count (bvlshr (bvsub (bvshl (_ bv1 64) blockBits) freeOffset) objectBits))))
 (let (($x6 (and (bvult objectBits (_ bv64 64)) $x5)))
 (let (($x7 (or (and $x6 $x4) (and (not $x6) (not $x4)))))
 (not $x7))))))))
(check-sat)
