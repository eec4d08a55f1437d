; obligation: kernel.layout.schedContext.wordsDisjoint
; statement: no two schedContext field words overlap
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.schedContext.wordsDisjoint
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun schedContext () (_ BitVec 64))
(assert
 (bvule schedContext (_ bv281474976710655 64)))
(assert
 (= (bvand schedContext (_ bv127 64)) (_ bv0 64)))
(assert
 (let ((?x0 (bvadd schedContext (_ bv32 64))))
 (let ((?x1 (bvadd schedContext (_ bv64 64))))
 (let ((?x2 (bvadd ?x1 (_ bv8 64))))
 (let (($x3 (or (bvule (bvadd (bvadd schedContext (_ bv24 64)) (_ bv8 64)) ?x1) (bvule ?x2 (bvadd schedContext (_ bv24 64))))))
 (let (($x4 (or (bvule (bvadd (bvadd schedContext (_ bv24 64)) (_ bv8 64)) ?x0) (bvule (bvadd ?x0 (_ bv8 64)) (bvadd schedContext (_ bv24 64))))))
 (let (($x5 (and (and $x4 $x3) (or (bvule (bvadd ?x0 (_ bv8 64)) ?x1) (bvule ?x2 ?x0)))))
 (not $x5))))))))
(check-sat)
