; obligation: kernel.retype.objectsDisjoint
; statement: object i ends at or before object j starts, for i < j < count
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.retype.objectsDisjoint
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun blockBits () (_ BitVec 64))
(declare-fun base () (_ BitVec 64))
(declare-fun freeOffset () (_ BitVec 64))
(declare-fun objectBits () (_ BitVec 64))
(declare-fun count () (_ BitVec 64))
(declare-fun j () (_ BitVec 64))
(declare-fun i () (_ BitVec 64))
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
 (let (($x2 (bvule count (bvlshr (bvsub (bvshl (_ bv1 64) blockBits) freeOffset) objectBits))))
 (and (bvult objectBits (_ bv64 64)) $x2)))
(assert
 (and (bvult i j) (bvult j count)))
(assert
 (let ((?x3 (ite (bvule (_ bv64 64) objectBits) (_ bv18446744073709551615 64) (bvsub (bvshl (_ bv1 64) objectBits) (_ bv1 64)))))
 (let ((?x4 (bvand (bvadd (bvadd base freeOffset) ?x3) (bvnot ?x3))))
 (let (($x5 (bvule (bvadd (bvadd ?x4 (bvshl i objectBits)) (bvshl (_ bv1 64) objectBits)) (bvadd ?x4 (bvshl j objectBits)))))
 (not $x5)))))
(check-sat)
