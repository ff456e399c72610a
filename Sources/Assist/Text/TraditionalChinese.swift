/// Traditional characters common in shop talk, read as their simplified forms. A table of the
/// frequent ones is cheap and covers most messages typed on a traditional keyboard; rarer
/// characters stay as they are (and still form their own n-grams).
enum TraditionalChinese {
    static func simplified(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        table[scalar] ?? scalar
    }

    private static let pairs =
        "貨货發发訂订單单請请問问麼么嗎吗還还換换號号碼码態态務务戶户帳账賬账錢钱遞递運运達达沒没幾几時时這这個个們们為为說说會会東东購购買买賣卖價价優优開开證证驗验錄录聯联繫系轉转員员對对話话過过讓让給给長长點点處处謝谢壞坏貼贴貴贵費费讀读從从與与無无專专張张該该應应啟启關关閉闭題题經经電电腦脑機机車车場场報报寫写錯错誤误認认郵邮寄寄圖图顏颜色色識识碼码滿满減减紅红憑凭據据雙双節节預预約约額额鐘钟慢慢麻麻煩烦負负責责狀状況况進进選选擇择輸输實实際际確确傳传憶忆網网絡络線线際际導导標标簽签稅税證证據据戲戏權权縣县區区門门問问題题華华龍龙鳥鸟魚鱼馬马風风飛飞學学習习樂乐氣气雲云體体產产廣广書书側侧層层歲岁歷历帶带師师紙纸綠绿藍蓝黃黄現现實实總总數数據据檢检測测試试種种類类樣样參参獎奖勵励級级補补償偿損损壓压爛烂裝装換换蟲虫黴霉過过錶表鏈链鞋鞋褲裤襪袜貓猫狗狗糧粮鹽盐醫医藥药療疗潔洁膚肤澤泽彈弹簡简繁繁陽阳陰阴兩两雙双團团隊队員员務务營营銷销廠厂業业屬属夠够嗎吗呢呢啊啊吧吧讚赞誰谁們们"

    private static let table: [Unicode.Scalar: Unicode.Scalar] = {
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        let scalars = Array(pairs.unicodeScalars)
        var index = 0
        while index + 1 < scalars.count {
            if scalars[index] != scalars[index + 1] { table[scalars[index]] = scalars[index + 1] }
            index += 2
        }
        return table
    }()
}
