"""Function words of English, Ukrainian and Russian, ignored when comparing sentences."""

from __future__ import annotations

from bot.services.text.tokens import words

ENGLISH = words(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    said says say told according mr ms mrs one two three would could may might must shall
    also however since yet still already even last next week monday tuesday wednesday thursday
    friday saturday sunday year years day new first
    """
)
UKRAINIAN = words(
    """
    і й та а але або чи що щоб як який яка яке які якого якій яких це цей ця ці цього цієї цих
    той та те ті того тієї тих він вона воно вони його її їх їм їй йому нас нам ми ви вас вам
    я мене мені ти тебе тобі свій своя своє свої свого своєї у в на з із зі до від для по про
    при над під за між без через після перед біля коло так не ні вже ще тут там де коли тому
    також лише тільки навіть бо хоча якщо ж же би б має мають був була було були бути є буде
    будуть може можуть сказав сказала заявив заявила повідомив зазначив рік року році
    """
)
RUSSIAN = words(
    """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее
    её мне было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни
    быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
    есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж
    тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее
    сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше
    тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой
    перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это также
    заявил заявила сказал сказала сообщил отметил год года году
    """
)
ALL = ENGLISH | UKRAINIAN | RUSSIAN
