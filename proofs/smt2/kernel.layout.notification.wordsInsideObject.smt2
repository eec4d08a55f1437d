; obligation: kernel.layout.notification.wordsInsideObject
; statement: every notification field word lies inside the object: offset + 8 <= 2^6
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.notification.wordsInsideObject
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun notification () (_ BitVec 64))
(assert
 (bvule notification (_ bv281474976710655 64)))
(assert
 (= (bvand notification (_ bv63 64)) (_ bv0 64)))
(assert
 (let ((?x0 (bvadd notification (_ bv64 64))))
 (let (($x1 (and (bvule notification (bvadd notification (_ bv0 64))) (bvule (bvadd (bvadd notification (_ bv0 64)) (_ bv8 64)) ?x0))))
 (let (($x2 (and (and $x1 (bvule notification (bvadd notification (_ bv8 64)))) (bvule (bvadd (bvadd notification (_ bv8 64)) (_ bv8 64)) ?x0))))
 (let (($x3 (and (and $x2 (bvule notification (bvadd notification (_ bv16 64)))) (bvule (bvadd (bvadd notification (_ bv16 64)) (_ bv8 64)) ?x0))))
 (let (($x4 (and (and $x3 (bvule notification (bvadd notification (_ bv24 64)))) (bvule (bvadd (bvadd notification (_ bv24 64)) (_ bv8 64)) ?x0))))
 (let (($x5 (and (and $x4 (bvule notification (bvadd notification (_ bv32 64)))) (bvule (bvadd (bvadd notification (_ bv32 64)) (_ bv8 64)) ?x0))))
 (let (($x6 (and (and $x5 (bvule notification (bvadd notification (_ bv40 64)))) (bvule (bvadd (bvadd notification (_ bv40 64)) (_ bv8 64)) ?x0))))
 (not $x6)))))))))
(check-sat)
