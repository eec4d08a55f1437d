; obligation: priorityBitmap.addToBitmap.wellFormed
; statement: addToBitmap keeps a bitmap well formed
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; priorityBitmap.addToBitmap.wellFormed
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun l2_0 () (_ BitVec 64))
(declare-fun l1 () (_ BitVec 64))
(declare-fun l2_1 () (_ BitVec 64))
(declare-fun l2_2 () (_ BitVec 64))
(declare-fun l2_3 () (_ BitVec 64))
(declare-fun p () (_ BitVec 64))
(assert
 (let (($x55 (or (and (not (= (bvand l1 (_ bv8 64)) (_ bv0 64))) (not (= l2_0 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv8 64)) (_ bv0 64)))) (= l2_0 (_ bv0 64))))))
 (let (($x44 (or (and (not (= (bvand l1 (_ bv4 64)) (_ bv0 64))) (not (= l2_1 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv4 64)) (_ bv0 64)))) (= l2_1 (_ bv0 64))))))
 (let (($x34 (or (and (not (= (bvand l1 (_ bv2 64)) (_ bv0 64))) (not (= l2_2 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv2 64)) (_ bv0 64)))) (= l2_2 (_ bv0 64))))))
 (let (($x23 (or (and (not (= (bvand l1 (_ bv1 64)) (_ bv0 64))) (not (= l2_3 (_ bv0 64)))) (and (not (not (= (bvand l1 (_ bv1 64)) (_ bv0 64)))) (= l2_3 (_ bv0 64))))))
 (and (and (and (and (= (bvlshr l1 (_ bv4 64)) (_ bv0 64)) $x23) $x34) $x44) $x55))))))
(assert
 (bvule p (_ bv255 64)))
(assert
 (let ((?x61 (bvlshr p (_ bv6 64))))
 (let ((?x63 (bvsub (_ bv3 64) ?x61)))
 (let (($x67 (= ?x63 (_ bv1 64))))
 (let (($x66 (= ?x63 (_ bv0 64))))
 (let ((?x75 (bvor (ite $x66 l2_0 (ite $x67 l2_1 (ite (= ?x63 (_ bv2 64)) l2_2 l2_3))) (bvshl (_ bv1 64) (bvand p (_ bv63 64))))))
 (let (($x116 (= (ite $x66 ?x75 l2_0) (_ bv0 64))))
 (let (($x120 (and (not (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x61)) (_ bv8 64)) (_ bv0 64)))) $x116)))
 (let (($x115 (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x61)) (_ bv8 64)) (_ bv0 64)))))
 (let (($x106 (= (ite $x67 ?x75 l2_1) (_ bv0 64))))
 (let (($x110 (and (not (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x61)) (_ bv4 64)) (_ bv0 64)))) $x106)))
 (let (($x105 (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x61)) (_ bv4 64)) (_ bv0 64)))))
 (let (($x96 (= (ite (= ?x63 (_ bv2 64)) ?x75 l2_2) (_ bv0 64))))
 (let (($x100 (and (not (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x61)) (_ bv2 64)) (_ bv0 64)))) $x96)))
 (let (($x95 (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x61)) (_ bv2 64)) (_ bv0 64)))))
 (let (($x86 (= (ite (= ?x63 (_ bv3 64)) ?x75 l2_3) (_ bv0 64))))
 (let (($x90 (and (not (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x61)) (_ bv1 64)) (_ bv0 64)))) $x86)))
 (let (($x85 (not (= (bvand (bvor l1 (bvshl (_ bv1 64) ?x61)) (_ bv1 64)) (_ bv0 64)))))
 (let (($x92 (and (= (bvlshr (bvor l1 (bvshl (_ bv1 64) ?x61)) (_ bv4 64)) (_ bv0 64)) (or (and $x85 (not $x86)) $x90))))
 (let (($x112 (and (and $x92 (or (and $x95 (not $x96)) $x100)) (or (and $x105 (not $x106)) $x110))))
 (let (($x122 (and $x112 (or (and $x115 (not $x116)) $x120))))
 (not $x122))))))))))))))))))))))
(check-sat)
