-- wrk script for scripts/load-test: POST /search with 32 SQuAD v1.1 dev questions in turn.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local queries = {
    "{\"query\": \"Which NFL team represented the AFC at Super Bowl 50?\", \"k\": 10}",
    "{\"query\": \"Who did the Broncos defeat in the AFC Championship game?\", \"k\": 10}",
    "{\"query\": \"Who was the MVP of Super Bowl I and II?\", \"k\": 10}",
    "{\"query\": \"Why aren't the examples of bouregois architecture visible today?\", \"k\": 10}",
    "{\"query\": \"What did Tesla's investors do to him?\", \"k\": 10}",
    "{\"query\": \"What was his belief as to what nature was supposed to be?\", \"k\": 10}",
    "{\"query\": \"What country has higher scores on standardized tests than the U.S.?\", \"k\": 10}",
    "{\"query\": \"Who supported Andreas Karistadt in reform at Wittenberg?\", \"k\": 10}",
    "{\"query\": \"What is the name of the desert on the border of Arizona?\", \"k\": 10}",
    "{\"query\": \"When will Ford's manufacturing plants close?\", \"k\": 10}",
    "{\"query\": \"What product was notably shipped in vessels equipped with double and triple expansion engines?\", \"k\": 10}",
    "{\"query\": \"To what type of organisms is oxygen toxic?\", \"k\": 10}",
    "{\"query\": \"What year did Slayton select the first Apollo crew?\", \"k\": 10}",
    "{\"query\": \"In which case did the Court of Justice state that refusal to admit a lawyer to the Belgian bar because he did not have Belgian heritage wasn't able to be justified?\", \"k\": 10}",
    "{\"query\": \"How do cestids swim?\", \"k\": 10}",
    "{\"query\": \"What was the bubonic plague mechanism reliant on?\", \"k\": 10}",
    "{\"query\": \"How many weeks each year does the food and drink festival run?\", \"k\": 10}",
    "{\"query\": \"The earliest items in the jewelry collection come from which ancient civilization?\", \"k\": 10}",
    "{\"query\": \"How many stations did ABC have affiliation agreements with in 2015?\", \"k\": 10}",
    "{\"query\": \"On which date was Genghis Khan's palace rediscovered by archeaologists?\", \"k\": 10}",
    "{\"query\": \"When B cells and T cells begin to replicate, what do some of their offspring cells become?\", \"k\": 10}",
    "{\"query\": \"ENR used data on what to rank Top 400 firms as heavy contractors?\", \"k\": 10}",
    "{\"query\": \"Soon after gaining Florida, what did the English do?\", \"k\": 10}",
    "{\"query\": \"How is unregistered property held in informal form?\", \"k\": 10}",
    "{\"query\": \"What Doctor Who actress was nominated for an award in 2016?\", \"k\": 10}",
    "{\"query\": \"What major crop was brought to China from the west?\", \"k\": 10}",
    "{\"query\": \"What are some normal breakfast foods?\", \"k\": 10}",
    "{\"query\": \"What is the systemic acquired resistance response of a plant immune system?\", \"k\": 10}",
    "{\"query\": \"What carries a significant amount of the Rhine flow through France?\", \"k\": 10}",
    "{\"query\": \"What day of the week are general elections held?\", \"k\": 10}",
    "{\"query\": \"Which region invented the machine gun?\", \"k\": 10}",
    "{\"query\": \"What areas did French recruit natives from?\", \"k\": 10}",
}
local counter = 0

request = function()
    counter = counter + 1
    return wrk.format(nil, nil, nil, queries[(counter % #queries) + 1])
end
